import { expect } from "chai";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "#platform/testing";
import { migrateAll } from "../migrate.ts";
import { seedDatabase } from "../seed/load.ts";
import { runScript } from "./run-script.ts";

const day = new Date("2026-11-28T00:00:00Z");

async function fingerprint(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    const ticketColumns = "id, event_id, section_id, row_label, seat, price_cents, currency, status";
    for (const table of [
      "catalog.venue",
      "catalog.section",
      "catalog.performer",
      "catalog.event",
      "catalog.event_performer",
      "inventory.ticket",
    ]) {
      // Only the seeded columns: bookkeeping columns such as updated_at default to now().
      const source = table === "inventory.ticket" ? `(select ${ticketColumns} from ${table})` : table;
      const { rows } = await client.query(
        `select md5(string_agg(t::text, '|' order by t::text)) as h, count(*) as n from ${source} t`,
      );
      out[table] = `${rows[0].n}:${rows[0].h}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

describe("scripts/seed", () => {
  const dbs: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createTestDatabase("seed");
    dbs.push(db);
    await migrateAll(db.url);
    return db;
  };
  after(async () => {
    await Promise.all(dbs.map((db) => db.drop()));
  });

  it("is deterministic for a seed and differs between seeds", async () => {
    const options = { events: 3000, seed: 7, ticketBudget: 70_000, now: day, quiet: true };
    const [a, b, c] = [await fresh(), await fresh(), await fresh()];
    await seedDatabase(a.url, options);
    await seedDatabase(b.url, options);
    await seedDatabase(c.url, { ...options, seed: 8 });
    const [fa, fb, fc] = await Promise.all([fingerprint(a.url), fingerprint(b.url), fingerprint(c.url)]);
    expect(fa).to.deep.equal(fb);
    expect(fa["catalog.event"]).to.not.equal(fc["catalog.event"]);
    expect(fa["catalog.event"]).to.match(/^3000:/);
  });

  it("has realistic venues, a stadium headline tour with 60,000-seat dates, and tickets for exactly the on-sale events", async () => {
    const db = await fresh();
    const summary = await seedDatabase(db.url, {
      events: 2000,
      seed: 42,
      ticketBudget: 150_000,
      now: day,
      quiet: true,
    });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const venues = await client.query(
        "select min(capacity)::int as min, max(capacity)::int as max, count(*)::int as n from catalog.venue",
      );
      expect(venues.rows[0]).to.deep.include({ n: 200 });
      expect(venues.rows[0].min).to.be.within(200, 1000);
      expect(venues.rows[0].max).to.be.within(55_000, 65_000);
      const tour = await client.query(
        `select e.id, v.capacity, (select count(*)::int from inventory.ticket t where t.event_id = e.id) as tickets
           from catalog.event e join catalog.venue v on v.id = e.venue_id
           join catalog.event_performer ep on ep.event_id = e.id join catalog.performer p on p.id = ep.performer_id
          where p.name = 'Taylor Swift' order by e.starts_at`,
      );
      expect(tour.rows).to.have.length(10);
      expect(tour.rows[0].tickets).to.equal(tour.rows[0].capacity);
      expect(tour.rows[0].capacity).to.be.above(60_000);
      // The ticketed headline dates sell through the waiting room (queue settings and inventory's flag).
      const rooms = await client.query(
        `select count(*)::int as n from queue.queue_settings q join inventory.waiting_room w using (event_id)
          where q.enabled and w.enabled and q.event_id = any($1)`,
        [tour.rows.filter((r) => r.tickets > 0).map((r) => r.id)],
      );
      expect(rooms.rows[0].n)
        .to.equal(tour.rows.filter((r) => r.tickets > 0).length)
        .and.above(0);
      const offSale = await client.query(
        `select count(*)::int as n from inventory.ticket t join catalog.event e on e.id = t.event_id where e.status <> 'ON_SALE'`,
      );
      expect(offSale.rows[0].n).to.equal(0);
      expect(summary.tickets).to.be.at.most(150_000);
      // Every event shown on sale can be bought: all its places have tickets.
      const perEvent = await client.query(
        `with t as (select event_id, count(*)::int as n from inventory.ticket group by event_id),
           h as (select distinct ep.event_id from catalog.event_performer ep
                   join catalog.performer p on p.id = ep.performer_id
                  where p.name in ('Taylor Swift', 'Neon Wolves'))
         select e.status, e.starts_at, e.on_sale_starts_at, e.on_sale_ends_at, v.capacity,
           coalesce(t.n, 0) as tickets, h.event_id is not null as headline
         from catalog.event e join catalog.venue v on v.id = e.venue_id
           left join t on t.event_id = e.id left join h on h.event_id = e.id`,
      );
      type Row = { status: string; starts_at: Date; on_sale_starts_at: Date; on_sale_ends_at: Date };
      const rows = perEvent.rows as (Row & { capacity: number; tickets: number; headline: boolean })[];
      const onSale = rows.filter((r) => r.status === "ON_SALE");
      expect(onSale.filter((r) => r.tickets !== r.capacity)).to.deep.equal([]);
      expect(summary.ticketedEvents).to.equal(onSale.length);
      expect(onSale.filter((r) => !r.headline).length, "ordinary events on sale").to.be.at.least(1);
      expect(onSale.every((r) => r.on_sale_starts_at <= day && r.on_sale_ends_at > day)).to.equal(true);
      // Past the sale horizon the budget allows, events are announced, their sale opening later.
      const scheduled = rows.filter((r) => r.status === "SCHEDULED");
      expect(scheduled.length).to.be.above(1000);
      expect(
        scheduled.every((r) => r.on_sale_starts_at > day && r.on_sale_starts_at <= r.starts_at),
      ).to.equal(true);
      // The soonest events are the ones on sale: the first page of upcoming events is buyable.
      const lastOnSale = Math.max(...onSale.filter((r) => !r.headline).map((r) => r.starts_at.getTime()));
      const firstScheduled = Math.min(
        ...scheduled.filter((r) => !r.headline).map((r) => r.starts_at.getTime()),
      );
      expect(lastOnSale).to.be.below(firstScheduled);
      expect(summary.saleLeadDays).to.be.above(0);
      const span = await client.query(
        "select min(starts_at) > $1 as future, max(starts_at) < $1::timestamptz + interval '731 days' as within from catalog.event",
        [day],
      );
      expect(span.rows[0]).to.deep.equal({ future: true, within: true });
    } finally {
      await client.end();
    }
  });

  it("rejects bad arguments with one line naming the problem", async () => {
    for (const [args, message] of [
      [[], "--events is required"],
      [["--events", "ten"], "--events must be an integer"],
      [["--events", "5", "--bogus"], "Unknown option '--bogus'"],
    ] as const) {
      const err = await runScript("scripts/seed.ts", args);
      expect(err.code).to.equal(1);
      expect(err.stderr.split("\n")[0]).to.contain(message);
      expect(err.stderr).to.not.contain("    at ");
    }
  });
});
