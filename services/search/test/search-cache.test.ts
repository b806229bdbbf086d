import { expect } from "chai";
import type { Redis } from "ioredis";
import { createRedis, redisReady } from "#platform";
import { createTestRedisPrefix, type TestRedisPrefix, testRedisUrl } from "#platform/testing";
import { IndexWriter, readPosition } from "../src/index-writer.ts";
import { Lexicon } from "../src/lexicon.ts";
import { InventoryPrices, noPrices, type PriceLookup } from "../src/price-lookup.ts";
import { ResultCache } from "../src/result-cache.ts";
import { SearchIndex } from "../src/search-index.ts";
import type { NormalizedQuery } from "../src/search-request.ts";
import { SearchService } from "../src/search-service.ts";
import { createSearchTestDb, doc, MemoryFeed, request, type SearchTestDb, silentLogger } from "./fixtures.ts";

class CountingIndex extends SearchIndex {
  calls = 0;
  override async search(q: NormalizedQuery, indexVersion: string | null = null) {
    this.calls++;
    return super.search(q, indexVersion);
  }
}

describe("search: result cache and prices", () => {
  let t: SearchTestDb;
  let prefix: TestRedisPrefix;
  let redis: Redis;
  let index: CountingIndex;
  let cache: ResultCache;
  const feed = new MemoryFeed();

  before(async () => {
    t = await createSearchTestDb("search_cache");
    prefix = createTestRedisPrefix("search_cache");
    redis = createRedis(testRedisUrl, { keyPrefix: prefix.prefix });
    await redisReady(redis);
    const d = doc({ name: "Crystal Sparrows World Tour" });
    feed.push(d.id, d);
    await new IndexWriter(t.pool).apply(feed.changes);
    index = new CountingIndex(t.pool, new Lexicon(t.pool));
    cache = new ResultCache(redis, 30, async () => (await readPosition(t.pool)).indexVersion);
  });
  after(async () => {
    redis?.disconnect();
    await prefix?.clear();
    await t?.drop();
  });

  it("answers a repeated query from Redis, and a differently written one too", async () => {
    const search = new SearchService({ index, cache, prices: noPrices, logger: silentLogger });
    const before = index.calls;
    const first = await search.searchEvents(request({ keyword: "crystal sparrows" }));
    const second = await search.searchEvents(request({ keyword: "  Crystal   SPARROWS" }));
    expect(index.calls - before).to.equal(1);
    expect(second.events.map((e) => e.name)).to.deep.equal(first.events.map((e) => e.name));
    expect(
      await redis.ttl(
        (await redis.keys(`${prefix.prefix}search:result:*`))[0]?.slice(prefix.prefix.length) ?? "",
      ),
    ).to.be.within(1, 30);
  });

  it("never serves an answer older than the last applied change", async () => {
    const search = new SearchService({ index, cache, prices: noPrices, logger: silentLogger });
    await search.searchEvents(request({ keyword: "crystal sparrows" }));
    const d = doc({ name: "Crystal Sparrows Encore" });
    feed.push(d.id, d);
    const applied = await new IndexWriter(t.pool).apply(feed.changes);
    await cache.publishVersion(applied.indexVersion);
    const after = await search.searchEvents(request({ keyword: "crystal sparrows" }));
    expect(after.events.map((e) => e.name)).to.include("Crystal Sparrows Encore");
    // An older version reported late does not roll the version back.
    expect(await cache.publishVersion(1n)).to.equal(applied.indexVersion.toString());
  });

  it("answers a repeat from its in-process copy under the same version, and not after a change", async () => {
    const search = new SearchService({ index, cache, prices: noPrices, logger: silentLogger });
    await search.searchEvents(request({ keyword: "crystal" }));
    const keys = await redis.keys(`${prefix.prefix}search:result:*`);
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.prefix.length)));
    const before = index.calls;
    await search.searchEvents(request({ keyword: "crystal" }));
    expect(index.calls - before).to.equal(0);
    const d = doc({ name: "Crystal Sparrows Finale" });
    feed.push(d.id, d);
    await cache.publishVersion((await new IndexWriter(t.pool).apply(feed.changes)).indexVersion);
    const after = await search.searchEvents(request({ keyword: "crystal" }));
    expect(index.calls - before).to.equal(1);
    expect(after.events.map((e) => e.name)).to.include("Crystal Sparrows Finale");
  });

  it("makes a word typo-searchable once its change is applied, though its typo was asked before", async () => {
    // Result caching off: only the word expansions are reused, and only under one index version.
    const uncached = new ResultCache(redis, 0, async () => (await readPosition(t.pool)).indexVersion);
    const search = new SearchService({ index, cache: uncached, prices: noPrices, logger: silentLogger });
    const names = async (keyword: string) =>
      (await search.searchEvents(request({ keyword }))).events.map((e) => e.name);
    expect(await names("zanzibr quartet")).to.deep.equal([]);
    expect(await names("zanzibr quartet")).to.deep.equal([]);
    const d = doc({ name: "Zanzibar Quartet" });
    feed.push(d.id, d);
    await uncached.publishVersion((await new IndexWriter(t.pool).apply(feed.changes)).indexVersion);
    expect(await names("zanzibr quartet")).to.deep.equal(["Zanzibar Quartet"]);
  });

  it("reuses word expansions under the same index version only, and none without a version", async () => {
    let queries = 0;
    const counted = {
      query: ((...args: Parameters<typeof t.pool.query>) => {
        queries++;
        return t.pool.query(...args);
      }) as typeof t.pool.query,
    };
    const lexicon = new Lexicon(counted);
    await lexicon.expand(["crystl"], false, "7");
    await lexicon.expand(["crystl"], false, "7");
    expect(queries).to.equal(1);
    await lexicon.expand(["crystl"], false, "8");
    expect(queries).to.equal(2);
    await lexicon.expand(["crystl"], false, null);
    await lexicon.expand(["crystl"], false, null);
    expect(queries).to.equal(4);
    expect((await lexicon.expand(["crystl"], false, "8"))[0]?.alternatives).to.include("crystal");
  });

  it("keeps answering from the index when Redis is unavailable", async () => {
    const down = createRedis("redis://127.0.0.1:1", { lazyConnect: true, retryStrategy: () => null });
    const offline = new ResultCache(down, 30, async () => 0n);
    const search = new SearchService({ index, cache: offline, prices: noPrices, logger: silentLogger });
    const res = await search.searchEvents(request({ keyword: "crystal sparrows" }));
    expect(res.events.length).to.be.greaterThan(0);
    down.disconnect();
  });

  it("adds lowest prices and sold-out marks with one batched call per page, and skips them when inventory is away", async () => {
    const calls: string[][] = [];
    let fail = false;
    const inventory = {
      getPriceRanges: async ({ eventIds }: { eventIds: string[] }) => {
        calls.push(eventIds);
        if (fail) throw new Error("unavailable");
        return {
          ranges: eventIds.slice(0, 1).map((eventId) => ({ eventId, minPriceCents: 4500n })),
          soldOutEventIds: eventIds.slice(1, 2),
        };
      },
    };
    let now = 0;
    const prices: PriceLookup = new InventoryPrices(inventory as never, { ttlMs: 1000, now: () => now });
    const search = new SearchService({ index, cache, prices, logger: silentLogger });
    const res = await search.searchEvents(request({ keyword: "crystal sparrows" }));
    expect(calls).to.have.length(1);
    expect(calls[0]).to.have.length(res.events.length);
    expect(res.events.filter((e) => e.minPriceCents === 4500n)).to.have.length(1);
    expect(res.events.filter((e) => e.minPriceCents === undefined)).to.have.length(res.events.length - 1);
    expect(res.events.map((e) => e.soldOut)).to.deep.equal(res.events.map((_, i) => i === 1));
    await search.searchEvents(request({ keyword: "crystal sparrows" }));
    expect(calls).to.have.length(1);
    now += 2000;
    fail = true;
    const without = await search.searchEvents(request({ keyword: "crystal sparrows" }));
    expect(without.events.every((e) => e.minPriceCents === undefined && !e.soldOut)).to.equal(true);
    await search.searchEvents(request({ keyword: "crystal sparrows" }));
    expect(calls).to.have.length(2);
  });
});
