import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { reasonOf } from "#platform";
import { callerContext, connectErrorOf } from "#platform/testing";
import { bookLeaseValue } from "../src/holds/lease-store.ts";
import { sandboxCards } from "../src/payments/sandbox/sandbox-gateway.ts";
import { cardWith, createInventoryFixture, goodCard, type InventoryFixture, user } from "./fixture.ts";

describe("inventory: booking", () => {
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("booking", { settings: { PAYMENT_TIMEOUT_MS: 300 } });
  });
  after(async () => {
    await fx?.close();
  });

  const statuses = async (eventId: string) =>
    (await fx.inventory.rpc.listTickets({ eventId, sectionId: "" } as never)).tickets.map((t) => t.status);
  const paymentOf = async (bookingId: string) =>
    (await fx.gateway.payments()).find((p) => p.key === bookingId);

  it("books without a hold: tickets SOLD, booking CONFIRMED, payment captured, only brand+last4 kept", async () => {
    const { eventId, ticketIds } = await fx.seed(3, 4500);
    const booking = await fx.inventory.booking.book({
      caller: user(),
      eventId,
      ticketIds: ticketIds.slice(0, 2),
      card: goodCard,
      idempotencyKey: randomUUID(),
    });
    expect(booking).to.include({
      status: "CONFIRMED",
      totalCents: 9000,
      currency: "USD",
      cardBrand: "visa",
      cardLast4: "4242",
    });
    expect(await statuses(eventId)).to.deep.equal([
      TicketStatus.SOLD,
      TicketStatus.SOLD,
      TicketStatus.AVAILABLE,
    ]);
    expect((await paymentOf(booking.id))?.state).to.equal("CAPTURED");
    const stored = await fx.orm.em.fork().getConnection().execute("select * from inventory.booking");
    expect(JSON.stringify(stored))
      .not.to.include("4242424242424242")
      .and.not.to.include("4242 4242 4242 4242");
    const again = await fx.inventory.bookings.findById(booking.id);
    expect(again).to.include({ status: "CONFIRMED", paymentRef: (await paymentOf(booking.id))?.ref });
  });

  it("books held seats with the hold id; another user cannot use that hold", async () => {
    const { eventId, ticketIds } = await fx.seed(2);
    const buyer = user();
    const hold = await fx.inventory.holds.hold(buyer, eventId, ticketIds);
    const thief = await connectErrorOf(
      fx.inventory.booking.book({
        caller: user(),
        eventId,
        ticketIds,
        card: goodCard,
        holdId: hold.holdId,
        idempotencyKey: "k",
      }),
    );
    expect(reasonOf(thief)).to.equal("HOLD_LOST");
    const noHold = await connectErrorOf(
      fx.inventory.booking.book({ caller: user(), eventId, ticketIds, card: goodCard, idempotencyKey: "k2" }),
    );
    expect(reasonOf(noHold)).to.equal("SEAT_TAKEN");
    const booking = await fx.inventory.booking.book({
      caller: buyer,
      eventId,
      ticketIds,
      card: goodCard,
      holdId: hold.holdId,
      idempotencyKey: randomUUID(),
    });
    expect(booking.status).to.equal("CONFIRMED");
    expect(await statuses(eventId)).to.deep.equal([TicketStatus.SOLD, TicketStatus.SOLD]);
    expect(await fx.inventory.index.find(hold.holdId)).to.equal(undefined);
  });

  for (const [name, number, reason] of [
    ["declined", sandboxCards.declined, /declined/],
    ["insufficient funds", sandboxCards.insufficientFunds, /insufficient funds/],
  ] as const) {
    it(`a ${name} card is PAYMENT_DECLINED, charges nothing and leaves the seats available`, async () => {
      const { eventId, ticketIds } = await fx.seed(2);
      const card = cardWith(number);
      const key = randomUUID();
      const err = await connectErrorOf(
        fx.inventory.booking.book({ caller: user(), eventId, ticketIds, card, idempotencyKey: key }),
      );
      expect(reasonOf(err)).to.equal("PAYMENT_DECLINED");
      expect(err.rawMessage).to.match(reason);
      expect(await statuses(eventId)).to.deep.equal([TicketStatus.AVAILABLE, TicketStatus.AVAILABLE]);
      // The lease is gone too: someone else can hold the seats at once.
      await fx.inventory.holds.hold(user(), eventId, ticketIds);
    });
  }

  it("a provider timeout is Unavailable, voids anything authorized and leaves the seats available", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const caller = user();
    const err = await connectErrorOf(
      fx.inventory.booking.book({
        caller,
        eventId,
        ticketIds,
        card: cardWith(sandboxCards.timeout),
        idempotencyKey: "t",
      }),
    );
    expect(err.code).to.equal(Code.Unavailable);
    expect(err.rawMessage).to.match(/did not answer.*not been charged/);
    expect(await statuses(eventId)).to.deep.equal([TicketStatus.AVAILABLE]);
    const stored = await fx.inventory.bookings.findByKey(caller.userId, "t");
    expect(stored?.status).to.equal("FAILED");
  });

  it("a retry with the same key and body returns the first booking without a second charge", async () => {
    const { eventId, ticketIds } = await fx.seed(2);
    const caller = user();
    const request = { caller, eventId, ticketIds, card: goodCard, idempotencyKey: randomUUID() };
    const first = await fx.inventory.booking.book(request);
    const before = (await fx.gateway.payments()).length;
    const retries = await Promise.all([1, 2, 3].map(() => fx.inventory.booking.book({ ...request })));
    for (const retry of retries) expect(retry.id).to.equal(first.id);
    expect((await fx.gateway.payments()).length).to.equal(before);
    // Same key, different body.
    const changed = await connectErrorOf(
      fx.inventory.booking.book({ ...request, ticketIds: ticketIds.slice(0, 1) }),
    );
    expect(reasonOf(changed)).to.equal("IDEMPOTENCY_KEY_REUSED");
    // The key is per user: another user's identical key is a different request.
    const other = await connectErrorOf(fx.inventory.booking.book({ ...request, caller: user() }));
    expect(reasonOf(other)).to.equal("SEAT_TAKEN");
  });

  it("a retry while the first attempt runs says so, and after it finished gets its booking (with and without a hold)", async () => {
    const { eventId, ticketIds } = await fx.seed(2);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const paused = new Set<string>();
    const pausing = fx.rebuild({
      onStep: async (step, bookingId) => {
        if (step !== "authorized") return;
        paused.add(bookingId);
        await gate;
      },
    });
    const caller = user();
    const hold = await fx.inventory.holds.hold(caller, eventId, ticketIds.slice(0, 1));
    const held = {
      caller,
      eventId,
      ticketIds: ticketIds.slice(0, 1),
      holdId: hold.holdId,
      card: goodCard,
      idempotencyKey: randomUUID(),
    };
    const unheld = {
      caller,
      eventId,
      ticketIds: ticketIds.slice(1),
      card: goodCard,
      idempotencyKey: randomUUID(),
    };
    const firsts = [pausing.booking.book(held), pausing.booking.book(unheld)];
    while (paused.size < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    for (const request of [held, unheld]) {
      const inFlight = await connectErrorOf(fx.inventory.booking.book(request));
      expect(inFlight.code).to.equal(Code.Aborted);
      expect(inFlight.rawMessage).to.match(/still in progress/);
    }
    release();
    const [heldBooking, unheldBooking] = await Promise.all(firsts);
    expect((await fx.inventory.booking.book(held)).id).to.equal(heldBooking?.id);
    expect((await fx.inventory.booking.book(unheld)).id).to.equal(unheldBooking?.id);
    expect((await fx.gateway.payments()).filter((p) => paused.has(p.key))).to.have.length(2);
  });

  it("a retry of a finished booking gets it even while someone else's attempt leases the sold seat", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const request = { caller: user(), eventId, ticketIds, card: goodCard, idempotencyKey: randomUUID() };
    const first = await fx.inventory.booking.book(request);
    // Another user's doomed attempt on the sold seat holds its lease for a moment.
    const other = await fx.inventory.leases.acquire(
      ticketIds,
      bookLeaseValue(randomUUID(), user().userId),
      5_000,
    );
    try {
      expect((await fx.inventory.booking.book(request)).id).to.equal(first.id);
    } finally {
      await fx.inventory.leases.release(other);
    }
  });

  it("a retried declined booking answers the same decline", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const request = {
      caller: user(),
      eventId,
      ticketIds,
      card: cardWith(sandboxCards.declined),
      idempotencyKey: "d",
    };
    expect(reasonOf(await connectErrorOf(fx.inventory.booking.book(request)))).to.equal("PAYMENT_DECLINED");
    expect(reasonOf(await connectErrorOf(fx.inventory.booking.book(request)))).to.equal("PAYMENT_DECLINED");
    expect((await fx.gateway.payments()).filter((p) => p.key === "d")).to.have.length(0);
  });

  it("rejects unknown tickets (NotFound), sold ones (SEAT_TAKEN) and too many (InvalidArgument)", async () => {
    const { eventId, ticketIds } = await fx.seed(10);
    const book = (ids: string[]) =>
      fx.inventory.booking.book({
        caller: user(),
        eventId,
        ticketIds: ids,
        card: goodCard,
        idempotencyKey: randomUUID(),
      });
    expect((await connectErrorOf(book([randomUUID()]))).code).to.equal(Code.NotFound);
    await book(ticketIds.slice(0, 1));
    expect(reasonOf(await connectErrorOf(book(ticketIds.slice(0, 2))))).to.equal("SEAT_TAKEN");
    expect((await connectErrorOf(book(ticketIds.slice(1, 10)))).code).to.equal(Code.InvalidArgument);
  });

  it("lists my bookings newest first and hides other users' bookings", async () => {
    const { eventId, ticketIds } = await fx.seed(3);
    const caller = user();
    const ctx = callerContext(caller);
    for (const id of ticketIds.slice(0, 2)) {
      await fx.inventory.booking.book({
        caller,
        eventId,
        ticketIds: [id],
        card: goodCard,
        idempotencyKey: id,
      });
    }
    const mine = await fx.inventory.rpc.listMyBookings({ pageSize: 0, page: 0 } as never, ctx);
    expect(mine.bookings.map((b) => b.ticketIds[0])).to.deep.equal([ticketIds[1], ticketIds[0]]);
    const one = await fx.inventory.rpc.getBooking({ bookingId: mine.bookings[0]?.id } as never, ctx);
    expect(one.booking?.id).to.equal(mine.bookings[0]?.id);
    const stranger = callerContext({ userId: "someone-else", role: "user" });
    const hidden = await connectErrorOf(
      fx.inventory.rpc.getBooking({ bookingId: mine.bookings[0]?.id } as never, stranger),
    );
    expect(hidden.code).to.equal(Code.NotFound);
  });
});
