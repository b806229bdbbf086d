// What a search accepts and what its results say: input the index cannot answer is refused with
// InvalidArgument by the service itself (directly and over the wire, never trusting the edge), and
// hits carry their status, leave cancelled events out unless asked, and say when a total is capped.
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { EventStatus } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { SearchService as SearchServiceDesc } from "#gen/ticketing/search/v1/search_pb.js";
import { serviceClient } from "#platform";
import { connectErrorOf, createTestRedisPrefix, testIdentityEnv, testRedisUrl } from "#platform/testing";
import { loadSearchConfig } from "../src/config.ts";
import { IndexWriter } from "../src/index-writer.ts";
import { Lexicon } from "../src/lexicon.ts";
import { build } from "../src/main.ts";
import { noPrices } from "../src/price-lookup.ts";
import { SearchIndex } from "../src/search-index.ts";
import { SearchService } from "../src/search-service.ts";
import { createSearchTestDb, doc, request, type SearchTestDb, silentLogger } from "./fixtures.ts";

const at = (day: number) => new Date(Date.UTC(2027, 2, day, 19));

describe("search: request checks, statuses, cancelled events and capped totals", () => {
  let t: SearchTestDb;
  let search: SearchService;
  let capped: SearchService;
  const redis = createTestRedisPrefix("search_input");
  const names = (res: { events: { name: string }[] }) => res.events.map((e) => e.name);

  before(async () => {
    t = await createSearchTestDb("search_input");
    const docs = [
      doc({ name: "Samba Night", city: "São Paulo", startsAt: at(1) }),
      doc({ name: "Lake Concert", city: "Zurich", startsAt: at(2) }),
      doc({ name: "Harbour Jazz", city: "Tromsø", startsAt: at(3) }),
      doc({ name: "Called Off Gala", status: "CANCELLED", startsAt: at(4) }),
      doc({ name: "Later Gala", status: "POSTPONED", startsAt: at(5) }),
      doc({ name: "Future Gala", status: "SCHEDULED", startsAt: at(6) }),
      ...Array.from({ length: 24 }, (_, i) => doc({ name: `Quiz Night ${i}`, startsAt: at(7 + i) })),
    ];
    let sequence = 0n;
    await new IndexWriter(t.pool).apply(
      docs.map((d) => ({ sequence: ++sequence, eventId: d.id, document: d })),
    );
    search = new SearchService({
      index: new SearchIndex(t.pool, new Lexicon(t.pool)),
      prices: noPrices,
      logger: silentLogger,
    });
    capped = new SearchService({
      index: new SearchIndex(t.pool, new Lexicon(t.pool), { maxResults: 24 }),
      prices: noPrices,
      logger: silentLogger,
    });
  });
  after(async () => {
    await redis.clear();
    await t?.drop();
  });

  it("matches a city ignoring accents and case, both ways", async () => {
    for (const city of ["sao paulo", "SÃO PAULO", "São Paulo"]) {
      expect(names(await search.searchEvents(request({ city }))), city).to.deep.equal(["Samba Night"]);
    }
    expect(names(await search.searchEvents(request({ city: "zürich" })))).to.deep.equal(["Lake Concert"]);
    expect(names(await search.searchEvents(request({ city: "tromso" })))).to.deep.equal(["Harbour Jazz"]);
  });

  it("refuses a NUL character in keyword or city with InvalidArgument, not a database error", async () => {
    for (const fields of [{ keyword: "jazz\u0000" }, { city: "Zurich\u0000" }]) {
      const err = await connectErrorOf(search.searchEvents(request(fields)));
      expect(err.code, JSON.stringify(fields)).to.equal(Code.InvalidArgument);
      expect(err.rawMessage).to.match(/^(keyword|city): must not contain NUL characters$/);
    }
  });

  it("refuses an unknown category, listing the valid ones", async () => {
    const err = await connectErrorOf(search.searchEvents(request({ category: "opera" })));
    expect(err.code).to.equal(Code.InvalidArgument);
    expect(err.rawMessage).to.equal("category: must be in list [comedy, concert, family, sports, theater]");
  });

  it("refuses a timestamp no date can hold", async () => {
    const req = request({});
    req.end = { $typeName: "google.protobuf.Timestamp", seconds: 10n ** 15n, nanos: 0 };
    const err = await connectErrorOf(search.searchEvents(req));
    expect([err.code, err.rawMessage]).to.deep.equal([
      Code.InvalidArgument,
      "end: must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z",
    ]);
  });

  it("gives each hit its status and leaves cancelled events out unless asked", async () => {
    const window = { start: at(3), end: at(6) };
    const res = await search.searchEvents(request(window));
    expect(res.events.map((e) => [e.name, e.status])).to.deep.equal([
      ["Harbour Jazz", EventStatus.ON_SALE],
      ["Later Gala", EventStatus.POSTPONED],
      ["Future Gala", EventStatus.SCHEDULED],
    ]);
    expect(Number(res.total)).to.equal(3);
    const all = await search.searchEvents(request({ ...window, includeCancelled: true }));
    expect(names(all)).to.deep.equal(["Harbour Jazz", "Called Off Gala", "Later Gala", "Future Gala"]);
    expect(all.events[1]?.status).to.equal(EventStatus.CANCELLED);
    const keyword = await search.searchEvents(request({ keyword: "gala" }));
    expect(names(keyword).sort()).to.deep.equal(["Future Gala", "Later Gala"]);
  });

  it("says when a total is capped at the ranking window, and not when it is exact", async () => {
    const quiz = await capped.searchEvents(request({ keyword: "quiz" }));
    expect([Number(quiz.total), quiz.totalCapped]).to.deep.equal([24, false]);
    const everything = await capped.searchEvents(request({}));
    expect([Number(everything.total), everything.totalCapped]).to.deep.equal([24, true]);
    const past = await capped.searchEvents(request({ page: 9, pageSize: 10 }));
    expect([past.events.length, Number(past.total), past.totalCapped]).to.deep.equal([0, 24, true]);
    const uncapped = await search.searchEvents(request({}));
    expect([Number(uncapped.total), uncapped.totalCapped]).to.deep.equal([29, false]);
  });

  it("answers the same over the wire: the served service refuses NUL and unknown categories itself", async () => {
    const served = await build(
      loadSearchConfig({
        DATABASE_URL: t.db.url,
        REDIS_URL: testRedisUrl,
        REDIS_KEY_PREFIX: redis.prefix,
        LOG_LEVEL: "silent",
        PORT: "0",
        HOST: "127.0.0.1",
        ...testIdentityEnv(),
      }),
    );
    try {
      const client = serviceClient(SearchServiceDesc, served.url);
      const nul = await connectErrorOf(client.searchEvents({ city: "sao\u0000paulo" }));
      expect([nul.code, nul.rawMessage]).to.deep.equal([
        Code.InvalidArgument,
        "city: must not contain NUL characters",
      ]);
      const opera = await connectErrorOf(client.searchEvents({ category: "opera" }));
      expect(opera.code).to.equal(Code.InvalidArgument);
      // Binary protobuf carries timestamps JSON cannot: past year 9999 is the caller's mistake too.
      const farEnd = await connectErrorOf(
        client.searchEvents({ start: { seconds: 1n }, end: { seconds: 10n ** 15n } }),
      );
      expect([farEnd.code, farEnd.rawMessage]).to.deep.equal([
        Code.InvalidArgument,
        "end: must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z",
      ]);
      const ok = await client.searchEvents({ city: "sao paulo" });
      expect(names(ok)).to.deep.equal(["Samba Night"]);
    } finally {
      await served.close();
    }
  });
});
