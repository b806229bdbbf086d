// Database rows → protobuf messages. Enumerations are stored as the proto value name without its
// prefix (ON_SALE ↔ EVENT_STATUS_ON_SALE), so mapping is a lookup in the generated enum.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type Event,
  type EventDocument,
  EventDocumentSchema,
  EventSchema,
  EventStatus,
  type Performer,
  PerformerSchema,
  SectionKind,
  SectionSchema,
  type Venue,
  VenueSchema,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { DbTime, EventDocumentRow, EventRow, PerformerJson, VenueJson } from "./event-rows.ts";

export const toDate = (value: DbTime): Date => (value instanceof Date ? value : new Date(value));
const ts = (value: DbTime) => timestampFromDate(toDate(value));
const optionalTs = (value: DbTime | null) => (value === null ? undefined : ts(value));

export function eventFromRow(row: EventRow): Event {
  return create(EventSchema, {
    id: row.id,
    name: row.name,
    description: row.description,
    category: row.category,
    startsAt: ts(row.starts_at),
    endsAt: ts(row.ends_at),
    venueId: row.venue_id,
    performerIds: row.performer_ids,
    status: EventStatus[row.status as keyof typeof EventStatus] ?? EventStatus.UNSPECIFIED,
    onSaleStartsAt: optionalTs(row.on_sale_starts_at),
    onSaleEndsAt: optionalTs(row.on_sale_ends_at),
    version: row.version,
  });
}

export function venueFromJson(v: VenueJson): Venue {
  return create(VenueSchema, {
    id: v.id,
    name: v.name,
    address: v.address,
    city: v.city,
    country: v.country,
    timezone: v.timezone,
    capacity: v.capacity,
    sections: v.sections.map((s) =>
      create(SectionSchema, {
        id: s.id,
        name: s.name,
        kind: SectionKind[s.kind as keyof typeof SectionKind] ?? SectionKind.UNSPECIFIED,
        capacity: s.capacity,
        rows: s.rows ?? [],
      }),
    ),
  });
}

export function performerFromJson(p: PerformerJson): Performer {
  return create(PerformerSchema, { id: p.id, name: p.name, bio: p.bio, genre: p.genre });
}

export function documentFromRow(row: EventDocumentRow): EventDocument {
  return create(EventDocumentSchema, {
    event: eventFromRow(row),
    venueName: row.venue_name,
    city: row.city,
    country: row.country,
    timezone: row.timezone,
    performerNames: row.performer_names,
  });
}

/** Proto enum value → the upper-case text stored in the database. */
export function statusText(status: EventStatus): string {
  return EventStatus[status];
}

export function kindText(kind: SectionKind): string {
  return SectionKind[kind];
}
