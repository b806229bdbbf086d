import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { reasonOf } from "#platform";
import { connectErrorOf } from "#platform/testing-errors.ts";
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
    expect(fx.gateway.payments().find((p) => p.key === paused)?.state).to.equal("VOIDED");
    expect((await fx.inventory.bookings.findById(paused as string))?.status).to.equal("FAILED");
  });

  it("a version fence also rejects a stale read: the CAS compares the version read before the lease", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const [row] = await fx.inventory.tickets.find(eventId, ticketIds);
    const em = fx.orm.em.fork();
    // Someone else's sale bumps the version; a writer holding the old version changes nothing.
    const first = await em.transactional((tx) =>
      fx.inventory.tickets.sell(
        tx,
        randomUUID(),
        [{ id: row?.id as string, version: row?.version as number }],
        "ref",
        new Date(),
      ),
    );
    const stale = await em.transactional((tx) =>
      fx.inventory.tickets.sell(
        tx,
        randomUUID(),
        [{ id: row?.id as string, version: row?.version as number }],
        "ref",
        new Date(),
      ),
    );
    expect(first.sold).to.have.length(1);
    expect(stale.sold).to.have.length(0);
  });
});
