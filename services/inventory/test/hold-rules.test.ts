// What a buyer's own holds allow: how many one user may hold at once per event
// (MAX_HELD_PER_USER), what holding a seat you already hold says, and that a mistyped or declined
// card leaves the hold in place.
import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { type Caller, reasonOf } from "#platform";
import { connectErrorOf } from "#platform/testing";
import type { Card } from "../src/payments/card.ts";
import { sandboxCards } from "../src/payments/sandbox/sandbox-gateway.ts";
import { cardWith, createInventoryFixture, goodCard, type InventoryFixture, user } from "./fixture.ts";

describe("inventory: a buyer's own holds", () => {
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("hold_rules", {
      settings: { MAX_TICKETS_PER_ORDER: 4, MAX_HELD_PER_USER: 5 },
    });
  });
  after(async () => {
    await fx?.close();
  });

  const statuses = async (eventId: string) =>
    (await fx.inventory.rpc.listTickets({ eventId, sectionId: "" } as never)).tickets.map((t) => t.status);
  const bookHold = (
    caller: Caller,
    eventId: string,
    ticketIds: string[],
    holdId: string,
    card: Card = goodCard,
  ) => fx.inventory.booking.book({ caller, eventId, ticketIds, holdId, card, idempotencyKey: randomUUID() });

  describe("MAX_HELD_PER_USER", () => {
    it("counts every hold of the user for the event; a release or a booking frees its places", async () => {
      const { eventId, ticketIds } = await fx.seed(12);
      const other = await fx.seed(4);
      const buyer = user();
      const first = await fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(0, 3));
      const refused = await connectErrorOf(fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(3, 6)));
      expect(refused.code).to.equal(Code.FailedPrecondition);
      expect(reasonOf(refused)).to.equal("HOLD_LIMIT");
      expect(refused.rawMessage).to.equal(
        "you already hold 3 tickets of this event and may hold at most 5 at once: book or release a hold first",
      );
      // Refused means nothing held: the seats stay free for anyone.
      expect((await statuses(eventId)).slice(3, 6)).to.deep.equal(Array(3).fill(TicketStatus.AVAILABLE));
      const second = await fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(3, 5));
      // Other users, and the same user at another event, are counted apart.
      await fx.inventory.holds.hold(user(), eventId, ticketIds.slice(6, 10));
      await fx.inventory.holds.hold(buyer, other.eventId, other.ticketIds);

      await fx.inventory.holds.release(buyer, first.holdId);
      const third = await fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(10, 12));
      await bookHold(buyer, eventId, ticketIds.slice(3, 5), second.holdId);
      // Held now: third's 2; booked seats no longer count.
      await fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(0, 3));
      expect(third.ticketIds).to.have.length(2);
    });

    it("two holds racing for a user's last places cannot both pass", async () => {
      const { eventId, ticketIds } = await fx.seed(8);
      const buyer = user();
      const results = await Promise.allSettled([
        fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(0, 3)),
        fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(3, 6)),
      ]);
      expect(results.map((r) => r.status).sort()).to.deep.equal(["fulfilled", "rejected"]);
      const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(reasonOf(lost.reason)).to.equal("HOLD_LIMIT");
      expect((await statuses(eventId)).filter((s) => s === TicketStatus.HELD)).to.have.length(3);
    });
  });

  describe("a seat you already hold", () => {
    it("holding it again, or booking it without the hold, names your hold; someone else's is 'held by someone else'", async () => {
      const { eventId, ticketIds } = await fx.seed(3);
      const buyer = user();
      const hold = await fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(0, 2));
      for (const attempt of [
        fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(1, 3)),
        fx.inventory.booking.book({
          caller: buyer,
          eventId,
          ticketIds: ticketIds.slice(0, 1),
          card: goodCard,
          idempotencyKey: randomUUID(),
        }),
      ]) {
        const err = await connectErrorOf(attempt);
        expect(err.code).to.equal(Code.FailedPrecondition);
        expect(reasonOf(err)).to.equal("ALREADY_HELD");
        expect(err.rawMessage).to.contain(`you already hold these seats (hold ${hold.holdId})`);
      }
      const theirs = await connectErrorOf(fx.inventory.holds.hold(user(), eventId, ticketIds.slice(1, 3)));
      expect(reasonOf(theirs)).to.equal("SEAT_TAKEN");
      expect(theirs.rawMessage).to.equal("one of these seats is held by someone else");
    });
  });

  describe("cards", () => {
    for (const [what, card, field] of [
      ["a Luhn-invalid number", cardWith("4242424242424241"), /^payment\.cardNumber: .*check digit/],
      [
        "an expired card",
        { ...goodCard, expYear: 2020 },
        /^payment\.expYear: the card expired at the end of 12\/2020/,
      ],
    ] as const) {
      it(`${what} is InvalidArgument naming the field, charges nothing and keeps the hold`, async () => {
        const { eventId, ticketIds } = await fx.seed(1);
        const buyer = user();
        const hold = await fx.inventory.holds.hold(buyer, eventId, ticketIds);
        const payments = (await fx.gateway.payments()).length;
        const err = await connectErrorOf(bookHold(buyer, eventId, ticketIds, hold.holdId, card));
        expect(err.code).to.equal(Code.InvalidArgument);
        expect(err.rawMessage).to.match(field);
        expect((await fx.gateway.payments()).length).to.equal(payments);
        expect(await statuses(eventId)).to.deep.equal([TicketStatus.HELD]);
        const booked = await bookHold(buyer, eventId, ticketIds, hold.holdId);
        expect(booked.status).to.equal("CONFIRMED");
      });
    }

    it("a declined card keeps the hold until it ends, and says so; another card then books", async () => {
      const { eventId, ticketIds } = await fx.seed(1);
      const buyer = user();
      const hold = await fx.inventory.holds.hold(buyer, eventId, ticketIds);
      const err = await connectErrorOf(
        bookHold(buyer, eventId, ticketIds, hold.holdId, cardWith(sandboxCards.declined)),
      );
      expect(reasonOf(err)).to.equal("PAYMENT_DECLINED");
      expect(err.rawMessage).to.equal(
        `the card was declined; your seats stay held until ${hold.expiresAt}: try another card`,
      );
      // Still this buyer's: someone else cannot take it, and its lease lasts as long as the hold.
      expect(reasonOf(await connectErrorOf(fx.inventory.holds.hold(user(), eventId, ticketIds)))).to.equal(
        "SEAT_TAKEN",
      );
      const ttl = await fx.lockClients[0]?.pttl(`${fx.prefix}ticket:${ticketIds[0]}`);
      expect(ttl).to.be.above(590_000);
      const booked = await bookHold(buyer, eventId, ticketIds, hold.holdId);
      expect(booked.status).to.equal("CONFIRMED");
    });
  });
});
