import { randomUUID } from "node:crypto";
import { expect } from "chai";
import {
  createTestRedisPrefix,
  type TestRedisPrefix,
  testIdentityEnv,
  testRedisUrl,
} from "#platform/testing";
import { loadSearchConfig } from "../../services/search/src/config.ts";
import { IndexWriter } from "../../services/search/src/index-writer.ts";
import { build as buildSearch } from "../../services/search/src/main.ts";
import { createSearchTestDb, doc, type SearchTestDb } from "../../services/search/test/fixtures.ts";
import { loadEdgeConfig } from "../src/config.ts";
import { build as buildEdge } from "../src/main.ts";

interface Body {
  events: {
    id: string;
    name: string;
    startsAt: string;
    city: string;
    performerNames: string[];
    minPriceCents: number | null;
    status: string;
    timezone: string;
    soldOut: boolean;
  }[];
  page: number;
  pageSize: number;
  total: number;
  totalCapped: boolean;
}

describe("edge: GET /events/search and the Connect SearchEvents", () => {
  let t: SearchTestDb;
  let redis: TestRedisPrefix;
  let search: Awaited<ReturnType<typeof buildSearch>>;
  let edge: Awaited<ReturnType<typeof buildEdge>>;
  let url: string;
  const get = async (query: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/events/search${query}`, { headers });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json().catch(() => null)) as Body & { code: string; message: string },
    };
  };

  before(async () => {
    t = await createSearchTestDb("edge_search");
    redis = createTestRedisPrefix("edge_search");
    const docs = [
      doc({
        name: "Taylor Swift | The Eras Tour — London",
        performerNames: ["Taylor Swift"],
        city: "London",
        timezone: "Europe/London",
        startsAt: new Date("2027-05-01T19:00:00Z"),
      }),
      doc({
        name: "Taylor Swift | The Eras Tour — Paris",
        performerNames: ["Taylor Swift"],
        city: "Paris",
        startsAt: new Date("2027-05-04T19:00:00Z"),
      }),
      ...Array.from({ length: 25 }, (_, i) =>
        doc({
          name: `Jazz Brunch ${i}`,
          category: "family",
          startsAt: new Date(Date.UTC(2027, 0, 1 + i, 11)),
        }),
      ),
      doc({ name: "Samba Gala", city: "São Paulo", startsAt: new Date("2027-06-01T23:30:00Z") }),
      doc({ name: "Rained Off Gala", status: "CANCELLED", startsAt: new Date("2027-06-02T19:00:00Z") }),
      doc({ name: "Autumn Gala", status: "SCHEDULED", startsAt: new Date("2027-06-03T19:00:00Z") }),
    ];
    let seq = 0n;
    await new IndexWriter(t.pool).apply(docs.map((d) => ({ sequence: ++seq, eventId: d.id, document: d })));
    const base = {
      DATABASE_URL: t.db.url,
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
      LOG_LEVEL: "silent",
      PORT: "0",
      HOST: "127.0.0.1",
      ...testIdentityEnv(),
    };
    // The smallest ranking window, so a listing of everything is capped.
    search = await buildSearch(loadSearchConfig({ ...base, SEARCH_MAX_RESULTS: "20" }));
    edge = await buildEdge(
      loadEdgeConfig({
        ...base,
        AUTH_MODE: "jwt",
        JWT_SECRET: "a-test-secret-that-is-long-enough-for-hs256",
        SEARCH_SERVICE_ADDR: search.url,
        CATALOG_SERVICE_ADDR: "http://127.0.0.1:1",
        INVENTORY_SERVICE_ADDR: "http://127.0.0.1:1",
      }),
    );
    url = await edge.app.listen({ port: 0, host: "127.0.0.1" });
  });
  after(async () => {
    await edge?.close();
    await search?.close();
    await redis?.clear();
    await t?.drop();
  });

  it("answers {events, page, pageSize, total} with a short CDN-friendly Cache-Control", async () => {
    const res = await get("?keyword=tayler%20swift");
    expect(res.status).to.equal(200);
    expect(res.headers.get("cache-control")).to.equal("public, max-age=1, s-maxage=1");
    expect(res.headers.get("etag")).to.be.a("string");
    expect(res.body.page).to.equal(1);
    expect(res.body.pageSize).to.equal(20);
    expect(res.body.total).to.equal(2);
    expect(res.body.events[0]).to.include({
      city: "London",
      timezone: "Europe/London",
      minPriceCents: null,
      soldOut: false,
    });
    expect(res.body.events[0]?.name).to.match(/^Taylor Swift \| The Eras Tour/);
    expect(res.body.events[0]?.startsAt).to.equal("2027-05-01T19:00:00.000Z");
    expect(res.body.events[0]?.performerNames).to.deep.equal(["Taylor Swift"]);
  });

  it("lists by date for an empty keyword, with filters and paging", async () => {
    const res = await get("?category=family&start=2027-01-05&end=2027-01-20T23:59:59Z&pageSize=5&page=2");
    expect(res.status).to.equal(200);
    expect(res.body.total).to.equal(16);
    expect(res.body.events.map((e) => e.name)).to.deep.equal(
      [9, 10, 11, 12, 13].map((i) => `Jazz Brunch ${i}`),
    );
    const london = await get("?city=london&sort=date");
    expect(london.body.events.map((e) => e.city)).to.deep.equal(["London"]);
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const first = await get("?keyword=jazz");
    const again = await fetch(`${url}/events/search?keyword=jazz`, {
      headers: { "if-none-match": first.headers.get("etag") ?? "" },
    });
    expect(again.status).to.equal(304);
  });

  const bad: [string, RegExp][] = [
    ["?pageSize=0", /pageSize must be an integer from 1 to 100/],
    ["?pageSize=101", /pageSize/],
    ["?pageSize=abc", /pageSize/],
    ["?page=0", /page must be an integer from 1/],
    ["?start=yesterday", /start must be an ISO-8601 date/],
    ["?end=2027-13-45", /end/],
    ["?start=2027-02-30", /^start is not a calendar date and time: 2027-02-30$/],
    ["?end=2027-13-01", /^end is not a calendar date and time: 2027-13-01$/],
    ["?start=2027-02-29", /^start is not a calendar date/],
    ["?start=2027-01-05T24:00:00Z", /^start is not a calendar date/],
    ["?end=2027-01-05T10:00:00%2B25:00", /^end is not a calendar date/],
    ["?includeCancelled=yes", /includeCancelled must be true or false/],
    ["?start=2027-02-01&end=2027-01-01", /start must not be after end/],
    [`?keyword=${"a".repeat(201)}`, /keyword must be at most 200 characters/],
    ["?sort=popular", /sort must be relevance or date/],
    ["?keyword=a&keyword=b", /keyword must be given once/],
    ["?q=jazz", /unknown query parameter "q"; expected keyword, city/],
  ];
  for (const [query, message] of bad) {
    it(`rejects ${query.slice(0, 40)} with a clear 400`, async () => {
      const res = await get(query);
      expect(res.status).to.equal(400);
      expect(res.body.code).to.equal("invalid_argument");
      expect(res.body.message).to.match(message);
    });
  }

  it("reads dates as UTC days: a one-day range includes that day, and a real leap day is a date", async () => {
    const day = await get("?category=family&start=2027-01-05&end=2027-01-05");
    expect([day.status, day.body.events.map((e) => e.name)]).to.deep.equal([200, ["Jazz Brunch 4"]]);
    // A date-time without an offset is UTC too, whatever the server's time zone.
    const until = await get("?category=family&start=2027-01-05&end=2027-01-05T10:59:59");
    expect(until.body.events).to.have.length(0);
    const late = await get("?start=2027-06-01&end=2027-06-01");
    expect(late.body.events.map((e) => e.name)).to.deep.equal(["Samba Gala"]);
    expect((await get("?start=2028-02-29")).status).to.equal(200);
  });

  const connectSearch = async (message: Record<string, unknown>) => {
    const res = await fetch(
      `${url}/ticketing.api.v1.TicketingService/SearchEvents?connect=v1&encoding=json&message=${encodeURIComponent(JSON.stringify(message))}`,
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & Body };
  };

  it("refuses an unknown category listing the valid ones, and a NUL character, on REST and Connect alike", async () => {
    const rest = await get("?category=opera");
    const connect = await connectSearch({ category: "opera" });
    const listed = "category: must be in list [comedy, concert, family, sports, theater]";
    expect([rest.status, rest.body.code, rest.body.message]).to.deep.equal([400, "invalid_argument", listed]);
    expect([connect.status, connect.body.message]).to.deep.equal([400, listed]);
    for (const [query, message] of [
      ["?keyword=jazz%00", { keyword: "jazz\u0000" }],
      ["?city=Paris%00", { city: "Paris\u0000" }],
    ] as const) {
      const nul = await get(query);
      expect([nul.status, nul.body.code], query).to.deep.equal([400, "invalid_argument"]);
      expect((await connectSearch(message)).status, query).to.equal(400);
    }
  });

  it("matches a city ignoring accents, the same through REST and Connect", async () => {
    const rest = await get("?city=sao%20paulo");
    const connect = await connectSearch({ city: "SAO PAULO" });
    expect(rest.body.events.map((e) => e.name)).to.deep.equal(["Samba Gala"]);
    expect(connect.body.events.map((e) => e.id)).to.deep.equal(rest.body.events.map((e) => e.id));
  });

  it("gives each event's status, leaves cancelled events out unless includeCancelled, and says a total is capped", async () => {
    const galas = await get("?keyword=gala&sort=date");
    expect(galas.body.events.map((e) => [e.name, e.status])).to.deep.equal([
      ["Samba Gala", "ON_SALE"],
      ["Autumn Gala", "SCHEDULED"],
    ]);
    expect([galas.body.total, galas.body.totalCapped]).to.deep.equal([2, false]);
    const all = await get("?keyword=gala&sort=date&includeCancelled=true");
    expect(all.body.events.map((e) => e.status)).to.deep.equal(["ON_SALE", "CANCELLED", "SCHEDULED"]);
    const connect = await connectSearch({
      keyword: "gala",
      sort: "SEARCH_SORT_DATE",
      includeCancelled: true,
    });
    expect((connect.body.events as unknown as { status: string }[]).map((e) => e.status)).to.deep.equal([
      "EVENT_STATUS_ON_SALE",
      "EVENT_STATUS_CANCELLED",
      "EVENT_STATUS_SCHEDULED",
    ]);
    const everything = await get("?sort=date");
    expect([everything.body.total, everything.body.totalCapped]).to.deep.equal([20, true]);
    expect((await connectSearch({})).body.totalCapped).to.equal(true);
  });

  it("routes /events/search to search, not to /events/:eventId", async () => {
    expect(edge.app.hasRoute({ method: "GET", url: "/events/:eventId" })).to.equal(true);
    const res = await get("?keyword=jazz");
    expect(res.status).to.equal(200);
    expect(res.body).to.have.property("events");
    // An event id still reaches the view route (which fails here: no catalog is running).
    const view = await fetch(`${url}/events/${randomUUID()}`);
    expect(view.status).to.not.equal(200);
    expect(await view.json()).to.not.have.property("events");
  });

  it("serves the same search through the Connect API as a cacheable HTTP GET", async () => {
    const message = encodeURIComponent(JSON.stringify({ keyword: "taylor swift", pageSize: 1 }));
    const res = await fetch(
      `${url}/ticketing.api.v1.TicketingService/SearchEvents?connect=v1&encoding=json&message=${message}`,
    );
    expect(res.status).to.equal(200);
    expect(res.headers.get("cache-control")).to.equal("public, max-age=1, s-maxage=1");
    const body = (await res.json()) as { events: { name: string }[]; total: string; pageSize: number };
    expect(body.events).to.have.length(1);
    expect(body.total).to.equal("2");
    const invalid = await fetch(
      `${url}/ticketing.api.v1.TicketingService/SearchEvents?connect=v1&encoding=json&message=${encodeURIComponent(JSON.stringify({ pageSize: 500 }))}`,
    );
    expect(invalid.status).to.equal(400);
  });

  it("turns an unavailable Search service into a 503", async () => {
    const down = await buildEdge(
      loadEdgeConfig({
        AUTH_MODE: "jwt",
        JWT_SECRET: "a-test-secret-that-is-long-enough-for-hs256",
        REDIS_URL: testRedisUrl,
        LOG_LEVEL: "silent",
        ...testIdentityEnv(),
        SEARCH_SERVICE_ADDR: "http://127.0.0.1:1",
        CATALOG_SERVICE_ADDR: "http://127.0.0.1:1",
        INVENTORY_SERVICE_ADDR: "http://127.0.0.1:1",
      }),
    );
    try {
      const res = await down.app.inject({ method: "GET", url: "/events/search?keyword=x" });
      expect(res.statusCode).to.equal(503);
      expect(res.json()).to.have.property("code", "unavailable");
    } finally {
      await down.close();
    }
  });
});
