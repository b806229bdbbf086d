// The REST shapes of the view API (camelCase, plain numbers, enum names without their prefix).
// Written by hand rather than proto JSON: proto JSON would print int64 as strings, enums as
// EVENT_STATUS_ON_SALE and leave out zero values, none of which the seed API promises.
import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import type { GetEventPageResponse } from "#gen/ticketing/api/v1/api_pb.js";
import {
  type Event,
  EventStatus,
  type Performer,
  SectionKind,
  type Venue,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import {
  type SectionAvailability,
  type Ticket,
  TicketStatus,
} from "#gen/ticketing/inventory/v1/inventory_pb.js";

const time = (t: Timestamp | undefined) => (t ? timestampDate(t).toISOString() : null);

export function eventJson(e: Event) {
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    category: e.category,
    startsAt: time(e.startsAt),
    endsAt: time(e.endsAt),
    status: EventStatus[e.status],
    venueId: e.venueId,
    performerIds: e.performerIds,
    onSaleStartsAt: time(e.onSaleStartsAt),
    onSaleEndsAt: time(e.onSaleEndsAt),
    version: e.version,
  };
}

export function venueJson(v: Venue) {
  return {
    id: v.id,
    name: v.name,
    address: v.address,
    city: v.city,
    country: v.country,
    timezone: v.timezone,
    capacity: v.capacity,
    // Row layouts are left out: the ticket lists carry row and seat, and a stadium's rows would
    // add tens of kilobytes to the hottest response.
    sections: v.sections.map((s) => ({
      id: s.id,
      name: s.name,
      kind: SectionKind[s.kind],
      capacity: s.capacity,
    })),
  };
}

export function performerJson(p: Performer) {
  return { id: p.id, name: p.name, bio: p.bio };
}

export function availabilityJson(a: SectionAvailability) {
  return {
    sectionId: a.sectionId,
    available: a.available,
    held: a.held,
    sold: a.sold,
    minPriceCents: Number(a.minPriceCents),
    maxPriceCents: Number(a.maxPriceCents),
  };
}

export function ticketJson(t: Ticket) {
  return {
    id: t.id,
    sectionId: t.sectionId,
    row: t.row,
    seat: t.seat,
    priceCents: Number(t.priceCents),
    status: TicketStatus[t.status],
  };
}

/** What is missing from a page because a backend did not answer. */
export interface PageGaps {
  availability: boolean;
  tickets: boolean;
}

/**
 * The event page. A part whose backend failed is left out rather than shown empty (an empty
 * list would read as "sold out"); `unavailable` names what is missing.
 */
export function eventPageJson(page: GetEventPageResponse, gaps: PageGaps, large: boolean) {
  const unavailable = [...(gaps.availability ? ["availability"] : []), ...(gaps.tickets ? ["tickets"] : [])];
  return {
    event: page.event ? eventJson(page.event) : null,
    venue: page.venue ? venueJson(page.venue) : null,
    performers: page.performers.map(performerJson),
    ...(gaps.availability ? {} : { availability: page.availability.map(availabilityJson) }),
    ...(large || gaps.tickets ? {} : { tickets: page.tickets.map(ticketJson) }),
    ...(large ? { ticketsUrl: page.ticketsUrl } : {}),
    ...(unavailable.length > 0 ? { unavailable } : {}),
  };
}
