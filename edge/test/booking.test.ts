import { randomUUID } from "node:crypto";
import { expect } from "chai";
import pg from "pg";
import { login, seedTickets, startTestStack, type TestStack } from "./stack.ts";

const card = { cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123", name: "Ada" };

describe("edge: booking REST routes", function () {
  this.timeout(60_000);
  let stack: TestStack;
  let token: string;
  let other: string;
  before(async () => {
    stack = await startTestStack("edge_booking", { PAYMENT_TIMEOUT_MS: "300" });
    token = await login(stack.edgeUrl, "buyer@example.com");
    other = await login(stack.edgeUrl, "other@example.com");
  });
  after(async () => {
    await stack?.close();
  });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${stack.edgeUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const book = (
    eventId: string,
    body: unknown,
    key: string = randomUUID(),
    headers: Record<string, string> = {},
  ) => call("POST", `/bookings/${eventId}`, body, { "idempotency-key": key, ...headers });

  it("holds (201), releases (204) and books (201) with the seed API's shapes", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 3);
    const hold = await call("POST", `/events/${eventId}/holds`, { ticketIds: ticketIds.slice(0, 2) });
    expect(hold.status).to.equal(201);
    expect(hold.body).to.have.keys("holdId", "expiresAt", "ticketIds");
    expect(Date.parse(hold.body.expiresAt) - Date.now()).to.be.within(590_000, 601_000);
    expect((await call("DELETE", `/holds/${hold.body.holdId}`)).status).to.equal(204);
    expect((await call("DELETE", `/holds/${hold.body.holdId}`)).status).to.equal(404);

    const again = await call("POST", `/events/${eventId}/holds`, { ticketIds: ticketIds.slice(0, 2) });
    const booked = await book(eventId, {
      ticketIds: ticketIds.slice(0, 2),
      paymentDetails: card,
      holdId: again.body.holdId,
    });
    expect(booked.status).to.equal(201);
    expect(booked.body).to.include({
      status: "CONFIRMED",
      totalCents: 5000,
      currency: "USD",
      cardLast4: "4242",
    });
    expect(booked.body.ticketIds).to.deep.equal(ticketIds.slice(0, 2));

    const got = await call("GET", `/bookings/${booked.body.bookingId}`);
    expect(got.status).to.equal(200);
    expect(got.body.bookingId).to.equal(booked.body.bookingId);
    const notMine = await call("GET", `/bookings/${booked.body.bookingId}`, undefined, {
      authorization: `Bearer ${other}`,
    });
    expect(notMine.status).to.equal(404);
    const mine = await call("GET", "/me/bookings");
    expect(mine.status).to.equal(200);
    expect(mine.body.bookings.map((b: { bookingId: string }) => b.bookingId)).to.include(
      booked.body.bookingId,
    );
    const misspelt = await call("GET", "/me/bookings?limit=5");
    expect(misspelt.status).to.equal(400);
    expect(misspelt.body.message).to.equal('unknown query parameter "limit"; expected page, pageSize');
  });

  it("answers 401 without a token and 400 for bad input, with {code, message}", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 1);
    const anonymous = await call(
      "POST",
      `/bookings/${eventId}`,
      { ticketIds, paymentDetails: card },
      { authorization: "" },
    );
    expect(anonymous.status).to.equal(401);
    expect(anonymous.body).to.have.keys("code", "message");
    // The key is optional (see below), but when given it must fit.
    const longKey = await book(eventId, { ticketIds, paymentDetails: card }, "k".repeat(201));
    expect(longKey.status).to.equal(400);
    expect(longKey.body.message).to.match(/Idempotency-Key/);
    expect((await book(eventId, { ticketIds: ["nope"], paymentDetails: card })).status).to.equal(400);
    expect((await book(eventId, { ticketIds })).status).to.equal(400);
    expect((await book(eventId, { ticketIds, paymentDetails: { ...card, expMonth: 13 } })).status).to.equal(
      400,
    );
    expect((await book("not-a-uuid", { ticketIds, paymentDetails: card })).status).to.equal(400);
    const tooMany = await call("POST", `/events/${eventId}/holds`, {
      ticketIds: Array.from({ length: 9 }, randomUUID),
    });
    expect(tooMany.status).to.equal(400);
  });

  it("answers 404 unknown ticket, 409 seat taken / hold lost, 402 declined, 422 key reuse", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 3);
    const unknown = await book(eventId, { ticketIds: [randomUUID()], paymentDetails: card });
    expect(unknown.status).to.equal(404);
    const wrongEvent = await book(randomUUID(), { ticketIds: ticketIds.slice(0, 1), paymentDetails: card });
    expect(wrongEvent.status).to.equal(404);

    const declined = await book(eventId, {
      ticketIds: ticketIds.slice(0, 1),
      paymentDetails: { ...card, cardNumber: "4000000000000002" },
    });
    expect(declined.status).to.equal(402);
    expect(declined.body).to.deep.equal({ code: "payment_declined", message: "the card was declined" });
    const funds = await book(eventId, {
      ticketIds: ticketIds.slice(0, 1),
      paymentDetails: { ...card, cardNumber: "4000000000009995" },
    });
    expect(funds.status).to.equal(402);

    const key = randomUUID();
    const first = await book(eventId, { ticketIds: ticketIds.slice(0, 1), paymentDetails: card }, key);
    expect(first.status).to.equal(201);
    const retry = await book(eventId, { ticketIds: ticketIds.slice(0, 1), paymentDetails: card }, key);
    expect(retry.status).to.equal(201);
    expect(retry.body.bookingId).to.equal(first.body.bookingId);
    const reused = await book(eventId, { ticketIds: ticketIds.slice(1, 2), paymentDetails: card }, key);
    expect(reused.status).to.equal(422);
    expect(reused.body.code).to.equal("idempotency_key_reused");

    const taken = await book(eventId, { ticketIds: ticketIds.slice(0, 1), paymentDetails: card });
    expect(taken.status).to.equal(409);
    expect(taken.body.code).to.equal("seat_taken");

    const otherHold = await call(
      "POST",
      `/events/${eventId}/holds`,
      { ticketIds: ticketIds.slice(2) },
      { authorization: `Bearer ${other}` },
    );
    expect(otherHold.status).to.equal(201);
    const heldByOther = await call("POST", `/events/${eventId}/holds`, { ticketIds: ticketIds.slice(2) });
    expect(heldByOther.status).to.equal(409);
    const lost = await book(eventId, {
      ticketIds: ticketIds.slice(2),
      paymentDetails: card,
      holdId: otherHold.body.holdId,
    });
    expect(lost.status).to.equal(409);
    expect(lost.body.code).to.equal("hold_lost");
  });

  it("books without an Idempotency-Key as a new attempt each time; with one, a retry gets the first answer", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 3);
    const unkeyed = (ids: string[]) =>
      call("POST", `/bookings/${eventId}`, { ticketIds: ids, paymentDetails: card });
    const first = await unkeyed(ticketIds.slice(0, 1));
    expect(first.status).to.equal(201);
    const second = await unkeyed(ticketIds.slice(1, 2));
    expect(second.status).to.equal(201);
    expect(second.body.bookingId).not.to.equal(first.body.bookingId);
    // The same request again is another attempt, not a replay: the seat is sold by then.
    const again = await unkeyed(ticketIds.slice(0, 1));
    expect(again.status).to.equal(409);
    expect(again.body.code).to.equal("seat_taken");

    const key = randomUUID();
    const keyed = await book(eventId, { ticketIds: ticketIds.slice(2), paymentDetails: card }, key);
    const retried = await book(eventId, { ticketIds: ticketIds.slice(2), paymentDetails: card }, key);
    expect([keyed.status, retried.status]).to.deep.equal([201, 201]);
    expect(retried.body.bookingId).to.equal(keyed.body.bookingId);

    const { eventId: other, ticketIds: otherIds } = await seedTickets(stack.databaseUrl, 1);
    const rpc = await fetch(`${stack.edgeUrl}/ticketing.api.v1.TicketingService/BookTickets`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ eventId: other, ticketIds: otherIds, payment: card }),
    });
    expect(rpc.status).to.equal(200);
    const { booking } = (await rpc.json()) as { booking: { status: string } };
    expect(booking.status).to.equal("BOOKING_STATUS_CONFIRMED");
  });

  it("answers 202 with where to poll when the sale stands but could not be marked CONFIRMED", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 1);
    // A real fault in the confirm write: PostgreSQL refuses to mark this event's bookings CONFIRMED.
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const fn = `refuse_confirm_${eventId.replaceAll("-", "")}`;
    try {
      await db.query(`create function inventory.${fn}() returns trigger language plpgsql as $$
        begin raise exception 'confirm refused by the test'; end $$`);
      await db.query(`create trigger ${fn} before update on inventory.booking for each row
        when (new.status = 'CONFIRMED' and new.event_id = '${eventId}') execute function inventory.${fn}()`);
      const res = await fetch(`${stack.edgeUrl}/bookings/${eventId}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ ticketIds, paymentDetails: card }),
      });
      expect(res.status).to.equal(202);
      const body = (await res.json()) as { bookingId: string; status: string };
      expect(body.status).to.equal("PENDING");
      expect(res.headers.get("location")).to.equal(`/bookings/${body.bookingId}`);
      const poll = await call("GET", `/bookings/${body.bookingId}`);
      expect(poll.status).to.equal(200);
      expect(poll.body.bookingId).to.equal(body.bookingId);
    } finally {
      await db.query(`drop trigger if exists ${fn} on inventory.booking`);
      await db.query(`drop function if exists inventory.${fn}()`);
      await db.end();
    }
  });

  it("answers a login e-mail with a NUL character 400, not 500", async () => {
    const res = await fetch(`${stack.edgeUrl}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "fan\u0000@example.com" }),
    });
    expect(res.status).to.equal(400);
    expect(await res.json()).to.deep.equal({
      code: "invalid_argument",
      message: "email must be an e-mail address",
    });
  });

  it("serves the same RPCs over the public Connect API", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 1);
    const post = (method: string, body: unknown) =>
      fetch(`${stack.edgeUrl}/ticketing.api.v1.TicketingService/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const hold = await post("HoldTickets", { eventId, ticketIds });
    expect(hold.status).to.equal(200);
    const { holdId } = (await hold.json()) as { holdId: string };
    const res = await post("BookTickets", {
      eventId,
      ticketIds,
      holdId,
      idempotencyKey: "c1",
      payment: card,
    });
    expect(res.status).to.equal(200);
    const { booking } = (await res.json()) as { booking: { status: string; id: string } };
    expect(booking.status).to.equal("BOOKING_STATUS_CONFIRMED");
    const list = await post("ListMyBookings", {});
    expect(((await list.json()) as { bookings: { id: string }[] }).bookings.map((b) => b.id)).to.include(
      booking.id,
    );
    const anonymous = await fetch(`${stack.edgeUrl}/ticketing.api.v1.TicketingService/ListMyBookings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(anonymous.status).to.equal(401);
  });

  it("names a card inventory refuses by the caller's field names: paymentDetails on REST, payment on Connect", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 1);
    const cases = [
      [
        { ...card, cardNumber: "4242 4242 4242 4241" },
        "cardNumber: the card number is mistyped (its check digit does not match)",
      ],
      [{ ...card, expMonth: 1, expYear: 2020 }, "expYear: the card expired at the end of 01/2020"],
    ] as const;
    for (const [paymentDetails, message] of cases) {
      const rest = await book(eventId, { ticketIds, paymentDetails });
      expect(rest).to.deep.equal({
        status: 400,
        body: { code: "invalid_argument", message: `paymentDetails.${message}` },
      });
      const connect = await fetch(`${stack.edgeUrl}/ticketing.api.v1.TicketingService/BookTickets`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ eventId, ticketIds, payment: paymentDetails }),
      });
      expect(connect.status).to.equal(400);
      expect(await connect.json()).to.deep.include({
        code: "invalid_argument",
        message: `payment.${message}`,
      });
    }
  });
});
