import { expect } from "chai";
import { FeedFollower } from "#platform";
import { IndexSync } from "../src/index-sync.ts";
import { IndexWriter } from "../src/index-writer.ts";
import { Lexicon } from "../src/lexicon.ts";
import { noPrices } from "../src/price-lookup.ts";
import { Rebuilder } from "../src/rebuilder.ts";
import { SearchIndex } from "../src/search-index.ts";
import { SearchService } from "../src/search-service.ts";
import { createSearchTestDb, doc, MemoryFeed, request, type SearchTestDb, silentLogger } from "./fixtures.ts";

describe("search: change feed apply, follow and rebuild", () => {
  let t: SearchTestDb;
  let writer: IndexWriter;
  let search: SearchService;
  const names = async (keyword: string) =>
    (await search.searchEvents(request({ keyword, pageSize: 100 }))).events.map((e) => e.name).sort();

  beforeEach(async () => {
    t = await createSearchTestDb("search_feed");
    writer = new IndexWriter(t.pool);
    search = new SearchService({
      index: new SearchIndex(t.pool, new Lexicon(t.pool)),
      prices: noPrices,
      logger: silentLogger,
    });
  });
  afterEach(async () => {
    await t?.drop();
  });

  it("applies changes in order, idempotently, and ignores older ones", async () => {
    const feed = new MemoryFeed();
    const a = doc({ name: "Velvet Comets Live" });
    feed.push(a.id, a);
    feed.push(a.id, { ...a, name: "Velvet Comets Farewell" });
    const first = await writer.apply(feed.changes);
    expect(first.appliedSequence).to.equal(2n);
    expect(await names("velvet comets")).to.deep.equal(["Velvet Comets Farewell"]);

    // The same batch again, and an old change on its own, change nothing.
    const again = await writer.apply(feed.changes);
    expect(again.appliedCount).to.equal(0);
    expect(again.indexVersion).to.equal(first.indexVersion);
    await writer.apply([{ sequence: 1n, eventId: a.id, document: a }]);
    expect(await names("velvet comets")).to.deep.equal(["Velvet Comets Farewell"]);

    // A removal deletes; a newer insert of another event still lands.
    const b = doc({ name: "Velvet Comets Encore" });
    feed.push(b.id, b);
    feed.push(a.id, null);
    const last = await writer.apply(feed.changes);
    expect(last.appliedSequence).to.equal(4n);
    expect(last.indexVersion).to.equal(first.indexVersion + 1n);
    expect(await names("velvet comets")).to.deep.equal(["Velvet Comets Encore"]);
  });

  it("carries the venue's time zone from the feed to each hit, and follows a change of zone", async () => {
    const feed = new MemoryFeed();
    const d = doc({ name: "Harbour Lights Revue", timezone: "Europe/London" });
    feed.push(d.id, d);
    await writer.apply(feed.changes);
    const zone = async () =>
      (await search.searchEvents(request({ keyword: "harbour lights" }))).events[0]?.timezone;
    expect(await zone()).to.equal("Europe/London");
    feed.push(d.id, { ...d, timezone: "Asia/Tokyo" });
    await writer.apply(feed.changes);
    expect(await zone()).to.equal("Asia/Tokyo");
  });

  it("makes new words typo-searchable as they arrive", async () => {
    const feed = new MemoryFeed();
    const d = doc({ name: "Zanzibar Quartet" });
    feed.push(d.id, d);
    await writer.apply(feed.changes);
    expect(await names("zanzibr quartet")).to.deep.equal(["Zanzibar Quartet"]);
  });

  it("follows the feed: a change is searchable well within 2 s of being announced", async () => {
    const feed = new MemoryFeed();
    const follower = new FeedFollower(feed, writer, { pollMs: 10_000, logger: silentLogger });
    await follower.start();
    try {
      const d = doc({ name: "Midnight Ravens Reunion" });
      const started = Date.now();
      feed.push(d.id, d);
      while ((await names("midnight ravens")).length === 0) {
        expect(Date.now() - started).to.be.below(2000);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await follower.stop();
    }
  });

  it("rebuilds into a shadow table while readers keep getting answers, then follows from the export", async () => {
    const feed = new MemoryFeed();
    for (let i = 0; i < 30; i++) {
      const d = doc({ name: `Golden Owls Night ${i}` });
      feed.push(d.id, d);
    }
    // The live index starts with a stale copy that the rebuild must replace.
    await writer.apply(feed.changes.slice(0, 10));
    const late = doc({ name: "Golden Owls Late Show" });
    let reads = 0;
    let pages = 0;
    feed.beforeExportPage = async () => {
      // Changes land mid-export; reads against the live table keep working.
      if (pages++ === 1) feed.push(late.id, late);
      expect((await names("golden owls")).length).to.be.greaterThan(0);
      reads++;
    };
    const rebuilder = new Rebuilder(t.pool, feed, { pageSize: 7 });
    const result = await rebuilder.rebuild();
    expect(reads).to.be.greaterThan(3);
    expect(result.documents).to.be.at.least(30);
    expect(await names("golden owls")).to.have.length(31);
    const position = await writer.position();
    expect(position.builtAt).to.be.instanceOf(Date);
    expect(position.appliedSequence).to.equal(31n);
  });

  it("builds a never-built index at start-up, then follows", async () => {
    const feed = new MemoryFeed();
    const d = doc({ name: "Scarlet Pilots Arena Tour" });
    feed.push(d.id, d);
    const follower = new FeedFollower(feed, writer, { pollMs: 50, logger: silentLogger });
    const sync = new IndexSync({
      writer,
      rebuilder: new Rebuilder(t.pool, feed),
      follower,
      logger: silentLogger,
      autoRebuild: true,
    });
    sync.start();
    try {
      const deadline = Date.now() + 5000;
      while ((await names("scarlet pilots")).length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const next = doc({ name: "Scarlet Pilots Encore" });
      feed.push(next.id, next);
      while ((await names("scarlet pilots")).length < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await names("scarlet pilots")).to.deep.equal([
        "Scarlet Pilots Arena Tour",
        "Scarlet Pilots Encore",
      ]);
    } finally {
      await sync.stop();
    }
  });
});
