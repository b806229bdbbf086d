// Concurrent bookings' fenced sales share one statement (grouped-sales.ts), each booking still
// all-or-nothing and fenced by the versions it read, as when it sells alone (fencing.test.ts).
import { expect } from "chai";
import type { SqlPools } from "#platform";
import { TicketRepository } from "../src/tickets/ticket-repository.ts";
import { createInventoryFixture, type InventoryFixture } from "./fixture.ts";

describe("inventory: grouped sales", () => {
  let fx: InventoryFixture;
  let tickets: TicketRepository;
  const statements: string[] = [];

  before(async () => {
    fx = await createInventoryFixture("grouped_sales");
    // The real pools, with the name of every statement sent written down.
    const pools = fx.pools;
    const counted = Object.create(pools, {
      query: {
        value: (name: string, ...rest: unknown[]) => {
          statements.push(name);
          return (pools.query as (...a: unknown[]) => Promise<unknown>).call(pools, name, ...rest);
        },
      },
    }) as SqlPools;
    tickets = new TicketRepository(counted);
  });
  after(async () => {
    await fx?.close();
  });

  const fencedOf = async (eventId: string, ids: string[]) =>
    (await fx.inventory.tickets.find(eventId, ids)).map((r) => ({ id: r.id, version: r.version }));

  it("sells concurrent bookings in one statement, each booking all or nothing", async () => {
    const { eventId, ticketIds } = await fx.seed(5);
    const [t1, t2, t3, t4, t5] = ticketIds as [string, string, string, string, string];
    const a = await fx.openBooking(eventId, [t1, t2]);
    const b = await fx.openBooking(eventId, [t3]);
    const c = await fx.openBooking(eventId, [t4, t5]);
    const fencedA = await fencedOf(eventId, [t1, t2]);
    const fencedB = await fencedOf(eventId, [t3]);
    const fencedC = await fencedOf(eventId, [t4, t5]);
    // One of c's tickets stands at a version c did not read: c must sell neither.
    const staleC = fencedC.map((f, i) => (i === 1 ? { ...f, version: f.version - 1 } : f));
    statements.length = 0;
    const now = new Date();
    const [soldA, soldB, refusedC] = await Promise.all([
      tickets.sell(a, fencedA, "ref-a", now),
      tickets.sell(b, fencedB, "ref-b", now),
      tickets.sell(c, staleC, "ref-c", now),
    ]);
    expect(statements).to.deep.equal(["inventory.sell-group"]);
    expect(soldA.sold).to.equal(true);
    expect([...soldA.sellable].sort()).to.deep.equal([t1, t2].sort());
    expect(soldB).to.deep.equal({ sellable: [t3], sold: true });
    expect(refusedC).to.deep.equal({ sellable: [t4], sold: false });
    const rows = await fx.inventory.tickets.find(eventId, ticketIds);
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status).to.deep.equal({
      [t1]: "SOLD",
      [t2]: "SOLD",
      [t3]: "SOLD",
      [t4]: "AVAILABLE",
      [t5]: "AVAILABLE",
    });
    expect(await fx.inventory.tickets.countSoldTo(a)).to.equal(2);
    expect(await fx.inventory.tickets.countSoldTo(b)).to.equal(1);
    expect((await fx.inventory.bookings.findById(a))?.paymentRef).to.equal("ref-a");
    expect((await fx.inventory.bookings.findById(c))?.paymentRef).to.equal(null);
  });

  it("sells a ticket once when two bookings of one group name it: the later one is fenced out", async () => {
    const { eventId, ticketIds } = await fx.seed(2);
    const [t1, t2] = ticketIds as [string, string];
    const first = await fx.openBooking(eventId, [t1]);
    const second = await fx.openBooking(eventId, [t1, t2]);
    const fenced = await fencedOf(eventId, [t1, t2]);
    statements.length = 0;
    const now = new Date();
    const [a, b] = await Promise.all([
      tickets.sell(first, fenced.slice(0, 1), "ref-1", now),
      tickets.sell(second, fenced, "ref-2", now),
    ]);
    expect(a).to.deep.equal({ sellable: [t1], sold: true });
    expect(b).to.deep.equal({ sellable: [t2], sold: false });
    // The first went alone (a group of one), the second after it, alone.
    expect(statements).to.deep.equal(["inventory.sell", "inventory.sell"]);
    expect(await fx.inventory.tickets.countSoldTo(first)).to.equal(1);
    expect(await fx.inventory.tickets.countSoldTo(second)).to.equal(0);
    expect((await fx.inventory.bookings.findById(second))?.paymentRef).to.equal(null);
  });

  it("runs each sale of a group that PostgreSQL refused alone, so only the bad one fails", async () => {
    const { eventId, ticketIds } = await fx.seed(2);
    const [t1, t2] = ticketIds as [string, string];
    const good = await fx.openBooking(eventId, [t1]);
    const other = await fx.openBooking(eventId, [t2]);
    const [f1, f2] = (await fencedOf(eventId, [t1, t2])) as [
      { id: string; version: number },
      { id: string; version: number },
    ];
    statements.length = 0;
    const now = new Date();
    const [sold, failed] = await Promise.allSettled([
      tickets.sell(good, [f1], "ref-good", now),
      // A version out of int range: the group's statement fails on it, and so does its own.
      tickets.sell(other, [{ ...f2, version: 2 ** 40 }], "ref-bad", now),
    ]);
    expect(statements).to.deep.equal(["inventory.sell-group", "inventory.sell", "inventory.sell"]);
    expect(sold).to.deep.equal({ status: "fulfilled", value: { sellable: [t1], sold: true } });
    expect(failed.status).to.equal("rejected");
    expect(await fx.inventory.tickets.countSoldTo(good)).to.equal(1);
    expect(await fx.inventory.tickets.countSoldTo(other)).to.equal(0);
  });
});
