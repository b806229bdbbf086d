import { expect } from "chai";
import { SearchSort } from "#gen/ticketing/search/v1/search_pb.js";
import { IndexWriter } from "../src/index-writer.ts";
import { Lexicon } from "../src/lexicon.ts";
import { noPrices } from "../src/price-lookup.ts";
import { SearchIndex } from "../src/search-index.ts";
import { SearchService } from "../src/search-service.ts";
import { createSearchTestDb, doc, request, type SearchTestDb, silentLogger } from "./fixtures.ts";

const day = 86_400_000;
const at = (n: number) => new Date(Date.UTC(2027, 0, 1, 19) + n * day);

describe("search: relevance, filters and paging", () => {
  let t: SearchTestDb;
  let search: SearchService;
  const names = (res: { events: { name: string }[] }) => res.events.map((e) => e.name);

  before(async () => {
    t = await createSearchTestDb("search_relevance");
    const docs = [
      ...["Chicago", "Houston", "London", "Paris"].map((city, i) =>
        doc({
          name: `Taylor Swift | The Eras Tour — ${city}`,
          performerNames: ["Taylor Swift"],
          venueName: `${city} Stadium`,
          city,
          startsAt: at(60 + i),
          description: "The record-breaking stadium tour.",
        }),
      ),
      doc({ name: "Taylor Swift Tribute Night", performerNames: ["The Swift Tributes"], startsAt: at(5) }),
      doc({ name: "Taylor Swiftwater: Comedy Hour", performerNames: ["Taylor Swiftwater"], startsAt: at(1) }),
      doc({ name: "Tyler Brooks — Live", performerNames: ["Tyler Brooks"], startsAt: at(2) }),
      doc({ name: "Hamilton", category: "theater", performerNames: ["Hamilton"], startsAt: at(40) }),
      doc({ name: "Hamilton Tribute Night", category: "theater", startsAt: at(3) }),
      doc({ name: "The Hamilton Jazz Trio", startsAt: at(4) }),
      doc({
        name: "Summer Jazz Festival",
        performerNames: ["Neon Wolves", "Olivia Carter"],
        startsAt: at(10),
      }),
      doc({
        name: "Neon Wolves — Electric Skies Tour",
        performerNames: ["Neon Wolves"],
        city: "Berlin",
        startsAt: at(20),
      }),
      doc({
        name: "Neon Wolves — Electric Skies Tour",
        performerNames: ["Neon Wolves"],
        city: "Madrid",
        startsAt: at(30),
      }),
      doc({
        name: "Lakers vs Celtics",
        category: "sports",
        performerNames: ["Lakers", "Celtics"],
        city: "Los Angeles",
        startsAt: at(7),
      }),
      // Thirty-five same-named, same-day events: paging must still be complete and duplicate-free.
      ...Array.from({ length: 35 }, () =>
        doc({ name: "Open Mic Night", category: "comedy", startsAt: at(15) }),
      ),
    ];
    let sequence = 0n;
    await new IndexWriter(t.pool).apply(
      docs.map((d) => ({ sequence: ++sequence, eventId: d.id, document: d })),
    );
    const index = new SearchIndex(t.pool, new Lexicon(t.pool));
    search = new SearchService({ index, prices: noPrices, logger: silentLogger });
  });
  after(async () => {
    await t?.drop();
  });

  it("puts the exact name first", async () => {
    const res = await search.searchEvents(request({ keyword: "Hamilton" }));
    expect(names(res)[0]).to.equal("Hamilton");
    expect(names(res)).to.include.members(["Hamilton Tribute Night", "The Hamilton Jazz Trio"]);
  });

  it("finds the headline tour on top despite typos", async () => {
    for (const keyword of ["Taylor Swift", "Tayler Swift", "taylr swft", "Taylor Swfit"]) {
      const res = await search.searchEvents(request({ keyword }));
      expect(names(res)[0], keyword).to.match(/^Taylor Swift \| The Eras Tour/);
      expect(
        names(res)
          .slice(0, 3)
          .every((n) => n.startsWith("Taylor Swift | The Eras Tour")),
        keyword,
      ).to.equal(true);
    }
  });

  it("finds a typo's target in the top 3", async () => {
    const cases: [string, RegExp][] = [
      ["Hamliton", /^Hamilton$/],
      ["neon wovles", /^Neon Wolves/],
      ["lakres celtics", /^Lakers vs Celtics$/],
    ];
    for (const [keyword, target] of cases) {
      const res = await search.searchEvents(request({ keyword }));
      expect(
        names(res)
          .slice(0, 3)
          .some((n) => target.test(n)),
        keyword,
      ).to.equal(true);
    }
  });

  it("matches a prefix while typing, and not once the word is finished", async () => {
    expect(names(await search.searchEvents(request({ keyword: "Electric Sk" })))).to.have.length(2);
    const finished = await search.searchEvents(request({ keyword: "taylor swift " }));
    expect(names(finished)).to.not.include("Taylor Swiftwater: Comedy Hour");
  });

  it("finds a performer's events by the performer's name", async () => {
    const res = await search.searchEvents(request({ keyword: "Olivia Carter" }));
    expect(names(res)).to.deep.equal(["Summer Jazz Festival"]);
    const wolves = await search.searchEvents(request({ keyword: "neon wolves", sort: SearchSort.DATE }));
    expect(names(wolves)).to.deep.equal([
      "Summer Jazz Festival",
      "Neon Wolves — Electric Skies Tour",
      "Neon Wolves — Electric Skies Tour",
    ]);
  });

  it("filters by city (any case), category and date range", async () => {
    const berlin = await search.searchEvents(request({ keyword: "neon wolves", city: "BERLIN" }));
    expect(berlin.events.map((e) => e.city)).to.deep.equal(["Berlin"]);
    const theater = await search.searchEvents(request({ keyword: "hamilton", category: "theater" }));
    expect(names(theater).sort()).to.deep.equal(["Hamilton", "Hamilton Tribute Night"]);
    const window = await search.searchEvents(
      request({ keyword: "taylor swift", start: at(61), end: at(62) }),
    );
    expect(window.events.map((e) => e.city).sort()).to.deep.equal(["Houston", "London"]);
    expect(Number(window.total)).to.equal(2);
    const none = await search.searchEvents(request({ keyword: "taylor swift", city: "Berlin" }));
    expect(none.events).to.have.length(0);
    expect(Number(none.total)).to.equal(0);
  });

  it("lists everything by date for an empty keyword", async () => {
    const res = await search.searchEvents(request({ pageSize: 100 }));
    const times = res.events.map((e) => Number(e.startsAt?.seconds));
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    expect(Number(res.total)).to.equal(res.events.length);
    expect(res.page).to.equal(1);
    expect(res.pageSize).to.equal(100);
  });

  it("pages completely and without duplicates, in both orders", async () => {
    for (const sort of [SearchSort.RELEVANCE, SearchSort.DATE]) {
      const seen: string[] = [];
      let total = 0;
      for (let page = 1; page <= 5; page++) {
        const res = await search.searchEvents(request({ keyword: "open mic", sort, page, pageSize: 8 }));
        total = Number(res.total);
        seen.push(...res.events.map((e) => e.id));
      }
      expect(total).to.equal(35);
      expect(seen).to.have.length(35);
      expect(new Set(seen).size).to.equal(35);
      const again = await search.searchEvents(request({ keyword: "open mic", sort, page: 2, pageSize: 8 }));
      expect(again.events.map((e) => e.id)).to.deep.equal(seen.slice(8, 16));
    }
  });

  it("answers a page past the end with no events and the total", async () => {
    const res = await search.searchEvents(request({ keyword: "open mic", page: 9, pageSize: 10 }));
    expect(res.events).to.have.length(0);
    expect(Number(res.total)).to.equal(35);
  });

  it("rejects a start after the end", async () => {
    const err = await search.searchEvents(request({ start: at(2), end: at(1) })).catch((e) => e);
    expect(err.message).to.match(/start must not be after end/);
  });
});
