import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { reasonOf } from "#platform";
import { connectErrorOf } from "#platform/testing";
import { createInventoryFixture, goodCard, type InventoryFixture, user } from "./fixture.ts";

describe("inventory: a paused holder loses to the next holder", () => {
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("fencing", { settings: { HOLD_SECONDS: 1, BOOKING_LEASE_MS: 300 } });
  });
  after(async () => {
    await fx?.close();
  });

  it("a hold that ran out is lost to the next holder: HOLD_LOST, and the next holder books", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const slow = user("slow");
    const slowHold = await fx.inventory.holds.hold(slow, eventId, ticketIds);
    await sleep(1100); // the lease TTL passes: no sweeper involved
    const fast = user("fast");
    const fastHold = await fx.inventory.holds.hold(fast, eventId, ticketIds);
    const late = await connectErrorOf(
      fx.inventory.booking.book({
        caller: slow,
        eventId,
        ticketIds,
        card: goodCard,
        holdId: slowHold.holdId,
        idempotencyKey: "s",
      }),
    );
    expect(reasonOf(late)).to.equal("HOLD_LOST");
    const booking = await fx.inventory.booking.book({
      caller: fast,
      eventId,
      ticketIds,
      card: goodCard,
      holdId: fastHold.holdId,
      idempotencyKey: "f",
    });
    expect(booking.status).to.equal("CONFIRMED");
  });

  it("a holder paused past its lease after the lease check is stopped by the version fence", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let paused: string | undefined;
    const pausing = fx.rebuild({
      onStep: async (step, bookingId) => {
        if (step === "authorized" && !paused) {
          paused = bookingId;
          await gate; // a GC pause, a slow network: the process is alive but stuck here
        }
      },
    });
    const slow = user("slow");
    const slowBooking = pausing.booking.book({
      caller: slow,
      eventId,
      ticketIds,
      card: goodCard,
      idempotencyKey: "slow",
    });
    while (!paused) await sleep(10);
    await sleep(400); // its booking lease (300 ms) runs out while it is paused
    const fast = await fx.inventory.booking.book({
      caller: user("fast"),
      eventId,
      ticketIds,
      card: goodCard,
      idempotencyKey: "fast",
    });
    expect(fast.status).to.equal("CONFIRMED");

    release();
    const err = await connectErrorOf(slowBooking);
    expect(reasonOf(err)).to.equal("SEAT_TAKEN");
    // The late commit changed nothing: the ticket is the fast buyer's, at the version it set.
    const [ticket] = await fx.inventory.tickets.find(eventId, ticketIds);
    expect(ticket).to.include({ status: "SOLD", version: 2 });
    expect(await fx.inventory.tickets.countSoldTo(fast.id)).to.equal(1);
    // The slow buyer's authorization is voided and its booking FAILED.
    expect((await fx.gateway.payments()).find((p) => p.key === paused)?.state).to.equal("VOIDED");
    expect((await fx.inventory.bookings.findById(paused as string))?.status).to.equal("FAILED");
  });

  it("a version fence also rejects a stale read: the CAS compares the version the booking read", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const [row] = await fx.inventory.tickets.find(eventId, ticketIds);
    const fenced = [{ id: row?.id as string, version: row?.version as number }];
    // Two PENDING bookings opened while the ticket was free, both holding the version read then.
    const first = await fx.openBooking(eventId, ticketIds);
    const second = await fx.openBooking(eventId, ticketIds);
    // The first sale bumps the version; the second, holding the old version, changes nothing.
    expect(await fx.inventory.tickets.sell(first, fenced, "ref-1", new Date())).to.deep.equal({
      sellable: fenced.map((f) => f.id),
      sold: true,
    });
    expect(await fx.inventory.tickets.sell(second, fenced, "ref-2", new Date())).to.deep.equal({
      sellable: [],
      sold: false,
    });
    const [sold] = await fx.inventory.tickets.find(eventId, ticketIds);
    expect(sold).to.include({ status: "SOLD", version: (row?.version as number) + 1 });
    expect(await fx.inventory.tickets.countSoldTo(first)).to.equal(1);
    expect((await fx.inventory.bookings.findById(second))?.paymentRef).to.equal(null);
  });

  it("a sale changes nothing unless every ticket is still sellable", async () => {
    const { eventId, ticketIds } = await fx.seed(2);
    const rows = await fx.inventory.tickets.find(eventId, ticketIds);
    const id = await fx.openBooking(eventId, ticketIds);
    // One of the two was sold at another version meanwhile (a stale version stands for it).
    const fenced = rows.map((r, i) => ({ id: r.id, version: i === 0 ? r.version : r.version - 1 }));
    const sale = await fx.inventory.tickets.sell(id, fenced, "ref", new Date());
    expect(sale).to.deep.equal({ sellable: [rows[0]?.id], sold: false });
    const unchanged = await fx.inventory.tickets.find(eventId, ticketIds);
    expect(unchanged.map((r) => r.status)).to.deep.equal(["AVAILABLE", "AVAILABLE"]);
    expect((await fx.inventory.bookings.findById(id))?.paymentRef).to.equal(null);
  });
});
