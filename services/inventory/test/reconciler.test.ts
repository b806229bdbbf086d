import { setTimeout as sleep } from "node:timers/promises";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { connectErrorOf } from "#platform/testing";
import type { BookingStep } from "../src/bookings/booking-service.ts";
import { createInventoryFixture, goodCard, type InventoryFixture, user } from "./fixture.ts";

describe("inventory: the reconciler settles what a crash left PENDING", () => {
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("reconciler", {
      settings: { BOOKING_LEASE_MS: 300, RECONCILE_AFTER_SECONDS: 60 },
    });
  });
  after(async () => {
    await fx?.close();
  });

  /** Starts a booking whose process "dies" right after `step`: the flow never continues. */
  async function crashAfter(step: BookingStep) {
    const { eventId, ticketIds } = await fx.seed(2);
    let bookingId: string | undefined;
    const doomed = fx.rebuild({
      onStep: (s, id) => {
        if (s !== step) return;
        bookingId = id;
        return new Promise<void>(() => {}); // never resumes: nothing after this step runs
      },
    });
    void doomed.booking.book({ caller: user(), eventId, ticketIds, card: goodCard, idempotencyKey: step });
    while (!bookingId) await sleep(5);
    await sleep(350); // its lease runs out as a dead process's would
    return { eventId, ticketIds, bookingId };
  }

  /** Runs `body` with the clock past the reconciler's 60 s threshold, then puts the clock back. */
  async function pastThreshold<T>(body: () => Promise<T>): Promise<T> {
    fx.clock.advance(61_000);
    try {
      return await body();
    } finally {
      fx.clock.advance(-61_000);
    }
  }

  const state = async (eventId: string, ticketIds: string[], bookingId: string) => ({
    booking: (await fx.inventory.bookings.findById(bookingId))?.status,
    payment: fx.gateway.payments().find((p) => p.key === bookingId)?.state,
    tickets: (await fx.inventory.tickets.find(eventId, ticketIds)).map((t) => t.status),
  });

  it("authorized but not committed: the authorization is voided, the booking FAILED, the seats free", async () => {
    const { eventId, ticketIds, bookingId } = await crashAfter("authorized");
    expect(await state(eventId, ticketIds, bookingId)).to.deep.equal({
      booking: "PENDING",
      payment: "AUTHORIZED",
      tickets: ["AVAILABLE", "AVAILABLE"],
    });
    // Too young to touch: it might still be in flight.
    expect(await fx.inventory.reconciler.runOnce()).to.deep.equal({});
    expect(await pastThreshold(() => fx.inventory.reconciler.runOnce())).to.deep.equal({
      [bookingId]: "voided",
    });
    expect(await state(eventId, ticketIds, bookingId)).to.deep.equal({
      booking: "FAILED",
      payment: "VOIDED",
      tickets: ["AVAILABLE", "AVAILABLE"],
    });
    const next = await fx.inventory.booking.book({
      caller: user(),
      eventId,
      ticketIds,
      card: goodCard,
      idempotencyKey: "n",
    });
    expect(next.status).to.equal("CONFIRMED");
  });

  it("committed but not captured: the payment is captured and the booking CONFIRMED", async () => {
    const { eventId, ticketIds, bookingId } = await crashAfter("committed");
    expect(await state(eventId, ticketIds, bookingId)).to.deep.equal({
      booking: "PENDING",
      payment: "AUTHORIZED",
      tickets: ["SOLD", "SOLD"],
    });
    await pastThreshold(async () => {
      expect(await fx.inventory.reconciler.runOnce()).to.deep.equal({ [bookingId]: "captured" });
      // A second pass (or a second replica) finds nothing left to do.
      expect(await fx.inventory.reconciler.runOnce()).to.deep.equal({});
    });
    expect(await state(eventId, ticketIds, bookingId)).to.deep.equal({
      booking: "CONFIRMED",
      payment: "CAPTURED",
      tickets: ["SOLD", "SOLD"],
    });
  });

  it("captured but not marked CONFIRMED: the repeat capture is harmless and the booking CONFIRMED", async () => {
    const { eventId, ticketIds, bookingId } = await crashAfter("captured");
    expect(await pastThreshold(() => fx.inventory.reconciler.runOnce())).to.deep.equal({
      [bookingId]: "captured",
    });
    expect(await state(eventId, ticketIds, bookingId)).to.deep.equal({
      booking: "CONFIRMED",
      payment: "CAPTURED",
      tickets: ["SOLD", "SOLD"],
    });
  });

  it("crashed before authorizing: nothing to void, the booking FAILED", async () => {
    const { eventId, ticketIds, bookingId } = await crashAfter("leased");
    expect(await pastThreshold(() => fx.inventory.reconciler.runOnce())).to.deep.equal({
      [bookingId]: "voided",
    });
    expect(await state(eventId, ticketIds, bookingId)).to.deep.equal({
      booking: "FAILED",
      payment: undefined,
      tickets: ["AVAILABLE", "AVAILABLE"],
    });
  });

  it("a flow that wakes up after the reconciler settled it cannot sell: its commit is refused", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let bookingId: string | undefined;
    const sleepy = fx.rebuild({
      onStep: async (s, id) => {
        if (s === "authorized") {
          bookingId = id;
          await gate;
        }
      },
    });
    const caller = user();
    const pending = sleepy.booking.book({ caller, eventId, ticketIds, card: goodCard, idempotencyKey: "z" });
    while (!bookingId) await sleep(5);
    expect(await pastThreshold(() => fx.inventory.reconciler.runOnce())).to.deep.equal({
      [bookingId]: "voided",
    });
    release();
    const err = await connectErrorOf(pending);
    expect(err.code).to.equal(Code.Aborted);
    expect(err.rawMessage).to.match(/took too long/);
    expect(await state(eventId, ticketIds, bookingId)).to.deep.equal({
      booking: "FAILED",
      payment: "VOIDED",
      tickets: ["AVAILABLE"],
    });
  });
});
