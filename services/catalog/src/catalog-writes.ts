// Admin writes. Each runs in one transaction that also appends the search documents of every
// event it affected to the outbox, so the change feed never misses or invents a change.
import { randomUUID } from "node:crypto";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type {
  CreateEventRequest,
  CreatePerformerRequest,
  CreateVenueRequest,
  UpdateEventRequest,
  UpdatePerformerRequest,
  UpdateVenueRequest,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { EventStatus } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { EntityManager, Orm } from "#platform";
import { documentsOf } from "./catalog-reads.ts";
import { appendChanges } from "./change-feed.ts";
import { Event, type EventStatusText } from "./entities/event.ts";
import { EventPerformer } from "./entities/event-performer.ts";
import { Performer } from "./entities/performer.ts";
import { Section } from "./entities/section.ts";
import { Venue } from "./entities/venue.ts";
import { statusText } from "./proto-mappers.ts";
import { checkStartsInFuture, checkTimes, planSections } from "./write-validation.ts";

/** What a committed write touched: the caller invalidates caches and wakes followers with it. */
export interface WriteOutcome {
  id: string;
  eventIds: string[];
  venueIds: string[];
  /** Highest outbox sequence written, 0n when no event changed. */
  sequence: bigint;
}

const notFound = (what: string, id: string) => new ConnectError(`${what} ${id} not found`, Code.NotFound);

export class CatalogWrites {
  constructor(
    private readonly orm: Orm,
    private readonly clock: () => Date,
  ) {}

  private async inTransaction(
    work: (em: EntityManager) => Promise<{ id: string; eventIds: string[]; venueIds?: string[] }>,
  ): Promise<WriteOutcome> {
    return this.orm.em.fork().transactional(async (em) => {
      const { id, eventIds, venueIds = [] } = await work(em);
      await em.flush();
      const sequence = await appendChanges(em, await documentsOf(em, eventIds));
      return { id, eventIds, venueIds, sequence };
    });
  }

  createVenue(req: CreateVenueRequest): Promise<WriteOutcome> {
    const sections = planSections(req.sections);
    return this.inTransaction(async (em) => {
      const venue = em.create(Venue, {
        id: randomUUID(),
        name: req.name,
        address: req.address,
        city: req.city,
        country: req.country,
        timezone: req.timezone,
        capacity: sections.reduce((sum, s) => sum + s.capacity, 0),
      });
      sections.forEach((s, position) => {
        em.create(Section, { id: randomUUID(), venue, position, ...s });
      });
      return { id: venue.id, eventIds: [], venueIds: [venue.id] };
    });
  }

  updateVenue(req: UpdateVenueRequest): Promise<WriteOutcome> {
    return this.inTransaction(async (em) => {
      const venue = await em.findOne(Venue, { id: req.venueId });
      if (!venue) throw notFound("venue", req.venueId);
      if (req.name !== undefined) venue.name = req.name;
      if (req.address !== undefined) venue.address = req.address;
      if (req.city !== undefined) venue.city = req.city;
      if (req.country !== undefined) venue.country = req.country;
      if (req.timezone !== undefined) venue.timezone = req.timezone;
      venue.updatedAt = this.clock();
      const events = await em.find(Event, { venue: venue.id }, { fields: ["id"] });
      return { id: venue.id, eventIds: events.map((e) => e.id), venueIds: [venue.id] };
    });
  }

  createPerformer(req: CreatePerformerRequest): Promise<WriteOutcome> {
    return this.inTransaction(async (em) => {
      const performer = em.create(Performer, {
        id: randomUUID(),
        name: req.name,
        bio: req.bio,
        genre: req.genre,
      });
      return { id: performer.id, eventIds: [] };
    });
  }

  updatePerformer(req: UpdatePerformerRequest): Promise<WriteOutcome> {
    return this.inTransaction(async (em) => {
      const performer = await em.findOne(Performer, { id: req.performerId });
      if (!performer) throw notFound("performer", req.performerId);
      if (req.name !== undefined) performer.name = req.name;
      if (req.bio !== undefined) performer.bio = req.bio;
      if (req.genre !== undefined) performer.genre = req.genre;
      performer.updatedAt = this.clock();
      const links = await em.find(EventPerformer, { performer: performer.id }, { fields: ["event"] });
      return { id: performer.id, eventIds: links.map((l) => l.event.id) };
    });
  }

  createEvent(req: CreateEventRequest): Promise<WriteOutcome> {
    const startsAt = timestampDate(required(req.startsAt, "starts_at"));
    const endsAt = timestampDate(required(req.endsAt, "ends_at"));
    // Unset on-sale bounds mean "now" and "when the event starts"; stored resolved so every
    // reader sees the same window.
    const onSaleEndsAt = req.onSaleEndsAt ? timestampDate(req.onSaleEndsAt) : startsAt;
    const now = this.clock();
    checkStartsInFuture(startsAt, now);
    const onSaleStartsAt = req.onSaleStartsAt
      ? timestampDate(req.onSaleStartsAt)
      : new Date(Math.min(now.getTime(), onSaleEndsAt.getTime()));
    checkTimes(startsAt, endsAt, onSaleStartsAt, onSaleEndsAt);
    const status = (
      req.status === EventStatus.UNSPECIFIED ? "SCHEDULED" : statusText(req.status)
    ) as EventStatusText;
    return this.inTransaction(async (em) => {
      if ((await em.count(Venue, { id: req.venueId })) === 0) throw notFound("venue", req.venueId);
      await requirePerformers(em, req.performerIds);
      const event = em.create(Event, {
        id: randomUUID(),
        name: req.name,
        description: req.description,
        category: req.category,
        startsAt,
        endsAt,
        venue: em.getReference(Venue, req.venueId),
        status,
        onSaleStartsAt,
        onSaleEndsAt,
      });
      linkPerformers(em, event.id, req.performerIds);
      return { id: event.id, eventIds: [event.id] };
    });
  }

  updateEvent(req: UpdateEventRequest): Promise<WriteOutcome> {
    return this.inTransaction(async (em) => {
      const event = await em.findOne(Event, { id: req.eventId });
      if (!event) throw notFound("event", req.eventId);
      if (req.name !== undefined) event.name = req.name;
      if (req.description !== undefined) event.description = req.description;
      if (req.category !== undefined) event.category = req.category;
      if (req.status !== undefined) event.status = statusText(req.status) as EventStatusText;
      if (req.startsAt) {
        event.startsAt = timestampDate(req.startsAt);
        checkStartsInFuture(event.startsAt, this.clock());
      }
      if (req.endsAt) event.endsAt = timestampDate(req.endsAt);
      if (req.onSaleStartsAt) event.onSaleStartsAt = timestampDate(req.onSaleStartsAt);
      if (req.onSaleEndsAt) event.onSaleEndsAt = timestampDate(req.onSaleEndsAt);
      checkTimes(
        event.startsAt,
        event.endsAt,
        event.onSaleStartsAt ?? event.createdAt,
        event.onSaleEndsAt ?? event.startsAt,
      );
      if (req.performerIds) {
        await requirePerformers(em, req.performerIds.ids);
        await em.nativeDelete(EventPerformer, { event: event.id });
        linkPerformers(em, event.id, req.performerIds.ids);
      }
      // Touching the row bumps its version even when only the performer list changed.
      event.updatedAt = this.clock();
      return { id: event.id, eventIds: [event.id] };
    });
  }
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new ConnectError(`${name} is required`, Code.InvalidArgument);
  return value;
}

async function requirePerformers(em: EntityManager, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await em.find(Performer, { id: { $in: ids } }, { fields: ["id"] });
  const missing = ids.find((id) => !found.some((p) => p.id === id));
  if (missing) throw notFound("performer", missing);
}

function linkPerformers(em: EntityManager, eventId: string, performerIds: string[]): void {
  performerIds.forEach((performerId, position) => {
    em.create(EventPerformer, {
      event: em.getReference(Event, eventId),
      performer: em.getReference(Performer, performerId),
      position,
    });
  });
}
