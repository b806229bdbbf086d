// A booking renews its hold's lease for the booking's duration (BOOKING_LEASE_MS), which can end
// after the hold would have. The seat map (the held index) and the expiry sweeper must follow the
// lease: otherwise they call the seats free mid-booking, and buyers are refused seats shown open.
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { reasonOf } from "#platform";
import { connectErrorOf } from "#platform/testing";
import type { Card } from "../src/payments/card.ts";
import { sandboxCards } from "../src/payments/sandbox/sandbox-gateway.ts";
import { cardWith, createInventoryFixture, goodCard, type InventoryFixture, user } from "./fixture.ts";

describe("inventory: the held index follows a hold's lease while it is being booked", function () {
  this.timeout(30_000);
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("held_index_lease", {
      settings: { HOLD_SECONDS: 2, BOOKING_LEASE_MS: 6_000 },
    });
  });
  after(async () => {
    await fx?.close();
  });

  /** An inventory whose bookings wait after taking their lease until `resume()`. */
  function pausedAfterLease() {
    let resume!: () => void;
    const gate = new Promise<void>((resolve) => {
      resume = resolve;
    });
    let paused = false;
    const inventory = fx.rebuild({
      onStep: async (step) => {
        if (step !== "leased") return;
        paused = true;
        await gate;
      },
    });
    const until = async () => {
      while (!paused) await sleep(10);
    };
    return { inventory, resume, until };
  }

  const book = (
    inventory: InventoryFixture["inventory"],
    hold: { holdId: string; userId: string },
    eventId: string,
    ticketIds: string[],
    card: Card = goodCard,
  ) =>
    inventory.booking.book({
      caller: { userId: hold.userId, role: "user" },
      eventId,
      ticketIds,
      holdId: hold.holdId,
      card,
      idempotencyKey: crypto.randomUUID(),
    });
  const heldNow = (eventId: string) => fx.inventory.index.heldIds(eventId, new Date());
  const pastExpiry = async (expiresAt: string) =>
    sleep(Math.max(0, Date.parse(expiresAt) - Date.now()) + 300);

  it("a booking still running when its hold would have ended keeps the seats held, then sells them", async () => {
    const { eventId, ticketIds } = await fx.seed(2);
    const hold = await fx.inventory.holds.hold(user(), eventId, ticketIds);
    const paused = pausedAfterLease();
    const booking = book(paused.inventory, hold, eventId, ticketIds);
    await paused.until();
    await pastExpiry(hold.expiresAt);

    expect((await heldNow(eventId)).sort()).to.deep.equal([...ticketIds].sort());
    expect(await fx.inventory.expirySweeper.runOnce()).to.equal(0);
    const record = await fx.inventory.index.find(hold.holdId);
    expect(record?.expiresAt).to.equal(hold.expiresAt);
    expect(Date.parse(record?.heldUntil ?? "")).to.be.above(Date.now() + 3_000);
    // Nobody else gets the seats meanwhile: the lease is the booking's.
    expect(reasonOf(await connectErrorOf(fx.inventory.holds.hold(user(), eventId, ticketIds)))).to.equal(
      "SEAT_TAKEN",
    );

    paused.resume();
    expect((await booking).status).to.equal("CONFIRMED");
    expect(await heldNow(eventId)).to.deep.equal([]);
  });

  it("a card declined after the hold's own end gives the seats back at once", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const hold = await fx.inventory.holds.hold(user(), eventId, ticketIds);
    const paused = pausedAfterLease();
    const booking = book(paused.inventory, hold, eventId, ticketIds, cardWith(sandboxCards.declined));
    await paused.until();
    await pastExpiry(hold.expiresAt);
    expect(await heldNow(eventId)).to.deep.equal(ticketIds);
    paused.resume();
    const err = await connectErrorOf(booking);
    expect(reasonOf(err)).to.equal("PAYMENT_DECLINED");
    expect(err.rawMessage).to.equal("the card was declined");
    expect(await heldNow(eventId)).to.deep.equal([]);
    expect(await fx.inventory.index.find(hold.holdId)).to.equal(undefined);
    expect(await fx.inventory.expirySweeper.runOnce()).to.equal(0);
  });

  it("a card declined while the hold lasts keeps the hold to its own end, on the map too", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const hold = await fx.inventory.holds.hold(user(), eventId, ticketIds);
    const err = await connectErrorOf(
      book(fx.inventory, hold, eventId, ticketIds, cardWith(sandboxCards.declined)),
    );
    expect(err.rawMessage).to.equal(
      `the card was declined; your seats stay held until ${hold.expiresAt}: try another card`,
    );
    expect(await fx.inventory.index.find(hold.holdId)).to.deep.equal(hold);
    expect(await heldNow(eventId)).to.deep.equal(ticketIds);
    await pastExpiry(hold.expiresAt);
    // Not prolonged by the booking's lease: the hold ends when it said it would.
    expect(await heldNow(eventId)).to.deep.equal([]);
    expect(await fx.inventory.expirySweeper.runOnce()).to.be.at.least(1);
  });
});
