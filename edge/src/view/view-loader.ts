// Loads what the view API serves — event pages, section tickets, event listings — composing
// Catalog (event data, Redis-cached behind it) with Inventory (live availability), and keeps
// each answer in a micro-cache for about a second with request coalescing. Both the REST routes
// and the Connect handlers read through this loader. The REST page leaves the seat map's rows
// out and asks the catalog not to send them; the Connect page carries them, so the two are
// loaded (and micro-cached) separately. Coalescing (EDGE_COALESCE) is independent of the
// window: with EDGE_MICROCACHE_MS=0 nothing is stored, but identical loads in flight are shared.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type GetEventPageResponse,
  GetEventPageResponseSchema,
  type ListSectionTicketsResponse,
  ListSectionTicketsResponseSchema,
} from "#gen/ticketing/api/v1/api_pb.js";
import type { GetEventResponse, ListEventsResponse } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type {
  GetAvailabilityResponse,
  ListTicketsResponse,
} from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { type CachedBody, jsonBody } from "../cache/cached-body.ts";
import { MicroCache } from "../cache/micro-cache.ts";
import type { EdgeClients } from "../deps.ts";
import { eventJson, eventPageJson, type PageGaps, ticketJson } from "./view-json.ts";

export interface Loaded<M> {
  message: M;
  /** A backend part was missing: serve it, but do not let a CDN keep it. */
  degraded: boolean;
}

export interface Cached<M> extends Loaded<M> {
  body: CachedBody;
}

const catalogTimeoutMs = 3000;
// Availability is an enhancement of the page: better a page without it than a slow page.
const inventoryTimeoutMs = 1000;

/** Remember answers that will not change within the window, so a bad id cannot stampede. */
const stableError = (err: unknown) => {
  const code = ConnectError.from(err).code;
  return code === Code.NotFound || code === Code.InvalidArgument;
};

export class ViewLoader {
  /** REST event pages: no seat rows, serialized once. */
  readonly pages: MicroCache<Cached<GetEventPageResponse>>;
  /** Connect event pages: the full seat map, as a message. */
  readonly pageMessages: MicroCache<Loaded<GetEventPageResponse>>;
  readonly sectionTickets: MicroCache<Cached<ListSectionTicketsResponse>>;
  readonly lists: MicroCache<Cached<ListEventsResponse>>;
  private readonly events: MicroCache<GetEventResponse>;
  private readonly availability: MicroCache<GetAvailabilityResponse>;

  constructor(private readonly deps: Pick<EdgeClients, "config" | "logger" | "catalog" | "inventory">) {
    const options = {
      ttlMs: deps.config.EDGE_MICROCACHE_MS,
      maxEntries: deps.config.EDGE_MICROCACHE_MAX_ENTRIES,
      cacheError: stableError,
      coalesce: deps.config.EDGE_COALESCE,
    };
    this.pages = new MicroCache(options);
    this.pageMessages = new MicroCache(options);
    this.sectionTickets = new MicroCache(options);
    this.lists = new MicroCache(options);
    this.events = new MicroCache(options);
    // Inside a micro-cached page, availability is as old as the page: fetched fresh per page load.
    // Without the page cache it still must not cost an inventory query per request.
    const availabilityMs = options.ttlMs > 0 ? 0 : deps.config.EDGE_AVAILABILITY_CACHE_MS;
    this.availability = new MicroCache({ ...options, ttlMs: availabilityMs });
  }

  get maxAgeMs(): number {
    return this.deps.config.EDGE_MICROCACHE_MS;
  }

  /** The REST page: seat rows left out (the ticket lists carry row and seat). */
  page(eventId: string): Promise<Cached<GetEventPageResponse>> {
    return this.pages.get(eventId, async () => {
      const { message, degraded, gaps, large } = await this.loadPage(eventId, false);
      return { message, degraded, body: jsonBody(eventPageJson(message, gaps, large)) };
    });
  }

  /** The Connect page: the venue with its whole seat map. */
  pageMessage(eventId: string): Promise<Loaded<GetEventPageResponse>> {
    return this.pageMessages.get(eventId, () => this.loadPage(eventId, true));
  }

  tickets(eventId: string, sectionId: string): Promise<Cached<ListSectionTicketsResponse>> {
    return this.sectionTickets.get(`${eventId}/${sectionId}`, () => this.loadTickets(eventId, sectionId));
  }

  list(page: number, pageSize: number): Promise<Cached<ListEventsResponse>> {
    return this.lists.get(`${page}/${pageSize}`, async () => {
      const message = await this.deps.catalog.listEvents({ page, pageSize }, { timeoutMs: catalogTimeoutMs });
      const body = jsonBody({
        events: message.events.map(eventJson),
        page: message.page,
        pageSize: message.pageSize,
        total: Number(message.total),
      });
      return { message, body, degraded: false };
    });
  }

  /** Event data for checks that tolerate a window of age (which sections a venue has). */
  private event(eventId: string): Promise<GetEventResponse> {
    return this.events.get(eventId, () =>
      // Only section ids are needed here, not their rows.
      this.deps.catalog.getEvent({ eventId, omitSeatRows: true }, { timeoutMs: catalogTimeoutMs }),
    );
  }

  private async loadPage(eventId: string, seatRows: boolean) {
    // Started together: availability does not wait for the (usually cached) event data.
    const availability = this.optional("availability", eventId, () =>
      this.availability.get(eventId, () =>
        this.deps.inventory.getAvailability({ eventId }, { timeoutMs: inventoryTimeoutMs }),
      ),
    );
    // Straight to the catalog, not through `events`: a page is then never older than its own window.
    const { event, venue, performers } = await this.deps.catalog.getEvent(
      { eventId, omitSeatRows: !seatRows },
      { timeoutMs: catalogTimeoutMs },
    );
    const large = (venue?.capacity ?? 0) > this.deps.config.LARGE_VENUE_SEATS;
    const tickets: ListTicketsResponse | undefined = large
      ? undefined
      : await this.optional("tickets", eventId, () =>
          this.deps.inventory.listTickets({ eventId }, { timeoutMs: inventoryTimeoutMs }),
        );
    const counts: GetAvailabilityResponse | undefined = await availability;
    const message = create(GetEventPageResponseSchema, {
      event,
      venue,
      performers,
      availability: counts?.sections ?? [],
      tickets: tickets?.tickets ?? [],
      ticketsUrl: large ? `/events/${eventId}/tickets?section={sectionId}` : "",
    });
    const gaps: PageGaps = { availability: counts === undefined, tickets: !large && tickets === undefined };
    return { message, gaps, large, degraded: gaps.availability || gaps.tickets };
  }

  private async loadTickets(eventId: string, sectionId: string): Promise<Cached<ListSectionTicketsResponse>> {
    const { venue } = await this.event(eventId);
    if (!venue?.sections.some((s) => s.id === sectionId)) {
      throw new ConnectError(`section ${sectionId} is not part of event ${eventId}`, Code.NotFound);
    }
    const res = await this.deps.inventory.listTickets(
      { eventId, sectionId },
      { timeoutMs: inventoryTimeoutMs },
    );
    const message = create(ListSectionTicketsResponseSchema, { tickets: res.tickets });
    return { message, body: jsonBody({ tickets: res.tickets.map(ticketJson) }), degraded: false };
  }

  /** Inventory answers, or undefined (logged) so the page can still be served without them. */
  private async optional<T>(part: string, eventId: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      const code = Code[ConnectError.from(err).code];
      this.deps.logger.warn({ part, eventId, code }, "inventory did not answer; serving the page without it");
      return undefined;
    }
  }
}
