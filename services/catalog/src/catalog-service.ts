// CatalogService: cached reads of events and venues, admin writes that feed the outbox, and the
// change feed that search follows.
import { type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import {
  type CatalogService as CatalogServiceDesc,
  type CreateEventRequest,
  type CreatePerformerRequest,
  type CreateVenueRequest,
  type ExportEventsRequest,
  type GetEventRequest,
  GetEventResponseSchema,
  type GetVenueRequest,
  type ListChangesRequest,
  type ListEventsRequest,
  type UpdateEventRequest,
  type UpdatePerformerRequest,
  type UpdateVenueRequest,
  VenueSchema,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { catalogChangesChannel, type Logger, type Orm, requireAdmin, type SqlPools } from "#platform";
import { CatalogReads, type ReadOptions } from "./catalog-reads.ts";
import { CatalogWrites, type WriteOutcome } from "./catalog-writes.ts";
import { latestSequence, readChanges } from "./change-feed.ts";
import { cacheKeys, ReadCache } from "./read-cache.ts";

export interface CatalogServiceDeps {
  orm: Orm;
  /** Pools for the hot reads (replica when configured, and primary). */
  pools: SqlPools;
  redis: Redis;
  logger: Logger;
  clock: () => Date;
  /** Key prefix the Redis client applies; also prefixes the change channel, which it does not. */
  keyPrefix: string;
  /** Read-through cache TTL; 0 turns the cache off. */
  cacheTtlMs: number;
}

type Impl = ServiceImpl<typeof CatalogServiceDesc>;

export class CatalogService implements Impl {
  private readonly reads: CatalogReads;
  private readonly writes: CatalogWrites;
  private readonly cache: ReadCache | undefined;

  constructor(private readonly deps: CatalogServiceDeps) {
    this.reads = new CatalogReads(deps.orm, deps.pools);
    this.writes = new CatalogWrites(deps.orm, deps.clock);
    this.cache = deps.cacheTtlMs > 0 ? new ReadCache(deps.redis, deps.cacheTtlMs, deps.logger) : undefined;
  }

  async getEvent(req: GetEventRequest) {
    const omitSeatRows = req.omitSeatRows;
    const key = omitSeatRows ? cacheKeys.eventWithoutRows(req.eventId) : cacheKeys.event(req.eventId);
    const res = await this.cached(GetEventResponseSchema, key, (o) =>
      this.reads.getEvent(req.eventId, { ...o, omitSeatRows }),
    );
    if (!res) throw new ConnectError(`event ${req.eventId} not found`, Code.NotFound);
    return res;
  }

  async getVenue(req: GetVenueRequest) {
    const venue = await this.cached(VenueSchema, cacheKeys.venue(req.venueId), (o) =>
      this.reads.getVenue(req.venueId, o),
    );
    if (!venue) throw new ConnectError(`venue ${req.venueId} not found`, Code.NotFound);
    return { venue };
  }

  async listEvents(req: ListEventsRequest) {
    const page = req.page || 1;
    const pageSize = req.pageSize || 20;
    const { events, total } = await this.reads.listUpcoming(this.deps.clock(), page, pageSize);
    return { events, page, pageSize, total };
  }

  async createVenue(req: CreateVenueRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const outcome = await this.afterCommit(await this.writes.createVenue(req));
    return { venue: await this.reads.getVenue(outcome.id, { primary: true }) };
  }

  async updateVenue(req: UpdateVenueRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const outcome = await this.afterCommit(await this.writes.updateVenue(req));
    return { venue: await this.reads.getVenue(outcome.id, { primary: true }) };
  }

  async createPerformer(req: CreatePerformerRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const outcome = await this.afterCommit(await this.writes.createPerformer(req));
    return { performer: await this.reads.getPerformer(outcome.id) };
  }

  async updatePerformer(req: UpdatePerformerRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const outcome = await this.afterCommit(await this.writes.updatePerformer(req));
    return { performer: await this.reads.getPerformer(outcome.id) };
  }

  async createEvent(req: CreateEventRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const outcome = await this.afterCommit(await this.writes.createEvent(req));
    return { event: (await this.reads.getEvent(outcome.id, { primary: true, omitSeatRows: true }))?.event };
  }

  async updateEvent(req: UpdateEventRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const outcome = await this.afterCommit(await this.writes.updateEvent(req));
    return { event: (await this.reads.getEvent(outcome.id, { primary: true, omitSeatRows: true }))?.event };
  }

  async listChanges(req: ListChangesRequest) {
    const changes = await readChanges(this.deps.orm.em.fork(), req.afterSequence, req.limit || 500);
    return { changes };
  }

  async exportEvents(req: ExportEventsRequest) {
    // The position is read first: a change committed while the page is read is then replayed
    // from the feed instead of lost between the export and the feed.
    const sequence = await latestSequence(this.deps.orm.em.fork());
    const documents = await this.reads.exportDocuments(req.afterEventId || undefined, req.limit || 1000);
    return { documents, sequence };
  }

  private async cached<S extends DescMessage>(
    schema: S,
    key: string,
    load: (options: ReadOptions) => Promise<MessageShape<S> | undefined>,
  ): Promise<MessageShape<S> | undefined> {
    if (!this.cache) return load({});
    const bytes = await this.cache.read(key, async (o) => {
      const message = await load(o);
      return message && toBinary(schema, message);
    });
    return bytes && fromBinary(schema, bytes);
  }

  /** Once the transaction has committed: drop cached reads it changed, then wake followers. */
  private async afterCommit(outcome: WriteOutcome): Promise<WriteOutcome> {
    await this.cache?.invalidate([
      ...outcome.eventIds.flatMap((id) => [cacheKeys.event(id), cacheKeys.eventWithoutRows(id)]),
      ...outcome.venueIds.map(cacheKeys.venue),
    ]);
    if (outcome.sequence > 0n) {
      // Announced so that followers need not wait for their poll.
      const channel = catalogChangesChannel(this.deps.keyPrefix);
      await this.deps.redis.publish(channel, outcome.sequence.toString()).catch((err: unknown) => {
        // Followers also poll, so a lost wake-up only delays them.
        this.deps.logger.warn({ err: String(err) }, "change announcement failed");
      });
    }
    return outcome;
  }
}
