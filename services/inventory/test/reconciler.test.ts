import { setTimeout as sleep } from "node:timers/promises";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import pg from "pg";
import { createLogger } from "#platform";
import { connectErrorOf } from "#platform/testing";
import type { BookingStep } from "../src/bookings/booking-service.ts";
import { Reconciler } from "../src/bookings/reconciler.ts";
import { SandboxGateway } from "../src/payments/sandbox/sandbox-gateway.ts";
import { SandboxStore } from "../src/payments/sandbox/sandbox-store.ts";
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
  async function pastThreshold<T>(body: () => Promise<T>, ms = 61_000): Promise<T> {
    fx.clock.advance(ms);
    try {
      return await body();
    } finally {
      fx.clock.advance(-ms);
    }
  }
  const twoHours = 2 * 3_600_000;

  const state = async (eventId: string, ticketIds: string[], bookingId: string) => ({
    booking: (await fx.inventory.bookings.findById(bookingId))?.status,
    payment: (await fx.gateway.payments()).find((p) => p.key === bookingId)?.state,
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

  it("sold but its authorization expired before the capture: NEEDS_REVIEW at once, never retried", async () => {
    const { eventId, ticketIds, bookingId } = await crashAfter("committed");
    // The fixture's provider authorizes for an hour; two hours later its funds are released.
    expect(await pastThreshold(() => fx.inventory.reconciler.runOnce(), twoHours)).to.deep.equal({
      [bookingId]: "review",
    });
    const booking = await fx.inventory.bookings.findById(bookingId);
    expect(booking).to.include({ status: "NEEDS_REVIEW" });
    expect(booking?.failureReason).to.match(/capture was refused: the payment is EXPIRED/);
    expect(await state(eventId, ticketIds, bookingId)).to.deep.include({ tickets: ["SOLD", "SOLD"] });
    expect(await pastThreshold(() => fx.inventory.reconciler.runOnce(), twoHours)).to.deep.equal({});
  });

  it("a booking it cannot settle is retried until RECONCILE_GIVE_UP_SECONDS, then NEEDS_REVIEW", async () => {
    const { eventId, ticketIds, bookingId } = await crashAfter("authorized");
    // The same data, but a provider that does not answer (nothing listens on port 1).
    const away = new SandboxStore("postgres://postgres@127.0.0.1:1/none", 1);
    const logger = createLogger("reconciler-test", "silent");
    const gateway = new SandboxGateway(away, { clock: fx.clock, authorizationTtlMs: 1 });
    const { tickets, bookings } = fx.inventory;
    const reconciler = new Reconciler(
      { db: fx.pools, tickets, bookings, gateway, clock: fx.clock, logger },
      { olderThanMs: 60_000, giveUpAfterMs: 3_600_000, intervalMs: 0 },
      logger,
    );
    try {
      expect(await pastThreshold(() => reconciler.runOnce())).to.deep.equal({ [bookingId]: "error" });
      expect((await fx.inventory.bookings.findById(bookingId))?.status).to.equal("PENDING");
      expect(await pastThreshold(() => reconciler.runOnce(), twoHours)).to.deep.equal({
        [bookingId]: "review",
      });
      const booking = await fx.inventory.bookings.findById(bookingId);
      expect(booking?.status).to.equal("NEEDS_REVIEW");
      expect(booking?.failureReason).to.match(
        /^not settled after 3600 s: the payment provider did not answer/,
      );
      expect(await pastThreshold(() => reconciler.runOnce(), twoHours)).to.deep.equal({});
      // Its authorization is still open at the provider: the operator's to settle, not voided blindly.
      expect(await state(eventId, ticketIds, bookingId)).to.deep.include({ payment: "AUTHORIZED" });
    } finally {
      await away.close();
    }
  });

  it("an open authorization whose booking FAILED without voiding it is voided from the provider's list", async () => {
    const { eventId, ticketIds, bookingId } = await crashAfter("authorized");
    // As if the process died between marking FAILED and the void (or the void was lost).
    await fx.inventory.bookings.fail(bookingId, "INCOMPLETE: test", null, new Date());
    expect(await state(eventId, ticketIds, bookingId)).to.deep.include({ payment: "AUTHORIZED" });
    expect(await pastThreshold(() => fx.inventory.reconciler.runOnce())).to.deep.equal({
      [bookingId]: "orphan-voided",
    });
    expect(await state(eventId, ticketIds, bookingId)).to.deep.include({
      booking: "FAILED",
      payment: "VOIDED",
    });
  });

  // The open commits without waiting for the WAL flush: a PostgreSQL crash may lose the PENDING
  // row (never the sale, whose synchronous commit flushes it). What that leaves is settled too.
  const loseOpenedRow = async (bookingId: string) => {
    const client = new pg.Client({ connectionString: fx.databaseUrl });
    await client.connect();
    try {
      await client.query("delete from inventory.booking where id = $1", [bookingId]);
    } finally {
      await client.end();
    }
  };

  it("a PENDING row lost with the database after authorize: the authorization is voided from the provider's list", async () => {
    const { eventId, ticketIds, bookingId } = await crashAfter("authorized");
    await loseOpenedRow(bookingId);
    expect(await pastThreshold(() => fx.inventory.reconciler.runOnce())).to.deep.equal({
      [bookingId]: "orphan-voided",
    });
    expect(await state(eventId, ticketIds, bookingId)).to.deep.equal({
      booking: undefined,
      payment: "VOIDED",
      tickets: ["AVAILABLE", "AVAILABLE"],
    });
  });

  it("a flow whose PENDING row was lost cannot sell: its sale is refused and its authorization voided", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let bookingId: string | undefined;
    const resumed = fx.rebuild({
      onStep: async (s, id) => {
        if (s === "authorized") {
          bookingId = id;
          await gate;
        }
      },
    });
    const pending = resumed.booking.book({
      caller: user(),
      eventId,
      ticketIds,
      card: goodCard,
      idempotencyKey: "lost",
    });
    while (!bookingId) await sleep(5);
    await loseOpenedRow(bookingId);
    release();
    expect((await connectErrorOf(pending)).code).to.equal(Code.Aborted);
    expect(await state(eventId, ticketIds, bookingId)).to.deep.equal({
      booking: undefined,
      payment: "VOIDED",
      tickets: ["AVAILABLE"],
    });
  });
});
