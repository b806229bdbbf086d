import { create } from "@bufbuild/protobuf";
import { expect } from "chai";
import {
  CreatePerformerRequestSchema,
  GetEventRequestSchema,
  UpdateEventRequestSchema,
  UpdatePerformerRequestSchema,
  UpdateVenueRequestSchema,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { createLogger, createRedis } from "#platform";
import { testRedisUrl } from "#platform/testing";
import { CatalogService } from "../src/catalog-service.ts";
import { cacheKeys, ReadCache } from "../src/read-cache.ts";
import { adminCtx, day, eventRequest, type Harness, startHarness, venueRequest } from "./fixtures.ts";

/** Cache stores are fire-and-forget: wait (bounded) for one to land. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("catalog: read-through Redis cache", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness("catalog_cache");
  });
  after(async () => {
    await h?.close();
  });

  const get = (service: CatalogService, eventId: string) =>
    service.getEvent(create(GetEventRequestSchema, { eventId }));

  async function newEvent() {
    const { venue } = await h.service.createVenue(venueRequest(), adminCtx);
    const { performer } = await h.service.createPerformer(
      create(CreatePerformerRequestSchema, { name: "Band", bio: "old bio" }),
      adminCtx,
    );
    const { event } = await h.service.createEvent(
      eventRequest(venue?.id ?? "", new Date(Date.now() + day), { performerIds: [performer?.id ?? ""] }),
      adminCtx,
    );
    return { venueId: venue?.id ?? "", performerId: performer?.id ?? "", eventId: event?.id ?? "" };
  }

  it("stores a read in Redis and serves the next read from it", async () => {
    const { eventId } = await newEvent();
    await get(h.service, eventId);
    await eventually(async () => (await h.redis.exists(cacheKeys.event(eventId))) === 1);
    // Changing the row behind the cache's back proves the next read is served from Redis.
    await h.orm.em.fork().execute("update catalog.event set name = 'sneaky' where id = ?", [eventId]);
    expect((await get(h.service, eventId)).event?.name).to.equal("Neon Wolves live");
  });

  it("serves the new data as soon as an event, venue or performer update returns", async () => {
    const { eventId, venueId, performerId } = await newEvent();
    await get(h.service, eventId);
    await h.service.updateEvent(create(UpdateEventRequestSchema, { eventId, name: "New name" }), adminCtx);
    expect((await get(h.service, eventId)).event?.name).to.equal("New name");
    await h.service.updateVenue(create(UpdateVenueRequestSchema, { venueId, name: "New Arena" }), adminCtx);
    expect((await get(h.service, eventId)).venue?.name).to.equal("New Arena");
    expect((await h.service.getVenue({ venueId } as never)).venue?.name).to.equal("New Arena");
    await h.service.updatePerformer(
      create(UpdatePerformerRequestSchema, { performerId, bio: "new bio" }),
      adminCtx,
    );
    expect((await get(h.service, eventId)).performers[0]?.bio).to.equal("new bio");
  });

  it("caches GetEvent without seat rows under its own key, dropped by the same writes", async () => {
    const { eventId, venueId } = await newEvent();
    const slim = () => h.service.getEvent(create(GetEventRequestSchema, { eventId, omitSeatRows: true }));
    expect((await slim()).venue?.sections.every((s) => s.rows.length === 0)).to.equal(true);
    await eventually(async () => (await h.redis.exists(cacheKeys.eventWithoutRows(eventId))) === 1);
    // The full answer is not served from the slim entry.
    expect((await get(h.service, eventId)).venue?.sections.some((s) => s.rows.length > 0)).to.equal(true);
    await h.service.updateVenue(create(UpdateVenueRequestSchema, { venueId, name: "Slim Arena" }), adminCtx);
    expect((await slim()).venue?.name).to.equal("Slim Arena");
    await h.service.updateEvent(create(UpdateEventRequestSchema, { eventId, name: "Slim name" }), adminCtx);
    expect((await slim()).event?.name).to.equal("Slim name");
  });

  it("never stores what a reader loaded before a concurrent write committed", async () => {
    const cache = new ReadCache(h.redis, 60_000, createLogger("t", "silent"));
    const key = "catalog:race-test";
    let primary: boolean | undefined;
    // The write commits (and invalidates) while the reader is still loading the old value.
    await cache.read(key, async () => {
      await cache.invalidate([key]);
      return new Uint8Array([1, 2, 3]);
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(await h.redis.exists(key)).to.equal(0);
    // Right after the write, a miss reads the primary (a replica may lag) and may store again.
    await cache.read(key, async (o) => {
      primary = o.primary;
      return new Uint8Array([4]);
    });
    expect(primary).to.equal(true);
    await eventually(async () => (await h.redis.exists(key)) === 1);
  });

  it("keeps serving from PostgreSQL when Redis is down", async () => {
    const { eventId } = await newEvent();
    const deadRedis = createRedis("redis://127.0.0.1:1", {
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const service = new CatalogService({
      orm: h.orm,
      pools: h.pools,
      redis: deadRedis,
      logger: createLogger("t", "silent"),
      clock: () => new Date(),
      keyPrefix: h.prefix,
      cacheTtlMs: 60_000,
    });
    try {
      expect((await get(service, eventId)).event?.id).to.equal(eventId);
      // Writes still commit; the lost invalidation is retried in the background.
      const res = await service.updateEvent(
        create(UpdateEventRequestSchema, { eventId, name: "offline" }),
        adminCtx,
      );
      expect(res.event?.name).to.equal("offline");
    } finally {
      deadRedis.disconnect();
    }
  });

  it("can be switched off: nothing is stored", async () => {
    const { eventId } = await newEvent();
    const service = new CatalogService({
      orm: h.orm,
      pools: h.pools,
      redis: h.redis,
      logger: createLogger("t", "silent"),
      clock: () => new Date(),
      keyPrefix: h.prefix,
      cacheTtlMs: 0,
    });
    await h.redis.del(cacheKeys.event(eventId));
    await get(service, eventId);
    await new Promise((r) => setTimeout(r, 50));
    expect(await h.redis.exists(cacheKeys.event(eventId))).to.equal(0);
  });

  it("uses the configured key prefix", async () => {
    const { eventId } = await newEvent();
    await get(h.service, eventId);
    const raw = createRedis(testRedisUrl);
    try {
      await eventually(async () => (await raw.exists(`${h.prefix}${cacheKeys.event(eventId)}`)) === 1);
    } finally {
      raw.disconnect();
    }
  });
});
