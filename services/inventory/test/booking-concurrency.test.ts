import { randomInt, randomUUID } from "node:crypto";
import { expect } from "chai";
import { reasonOf, toConnectError } from "#platform";
import { createInventoryFixture, goodCard, type InventoryFixture, user } from "./fixture.ts";

describe("inventory: no double booking under contention", function () {
  this.timeout(180_000);
  let fx: InventoryFixture;
  before(async () => {
    // The sandbox provider answers from its own database: on a loaded machine 500 winners'
    // authorizations can take longer than the fixture's 2 s payment timeout, which is not what
    // this test is about.
    fx = await createInventoryFixture("concurrency", {
      poolMax: 20,
      settings: { PAYMENT_TIMEOUT_MS: 30_000, BOOKING_LEASE_MS: 60_000 },
    });
  });
  after(async () => {
    await fx?.close();
  });

  /** Every outcome: a booking, or the error reason/code a loser got. */
  async function attempt(eventId: string, ticketIds: string[]) {
    try {
      const b = await fx.inventory.booking.book({
        caller: user(),
        eventId,
        ticketIds,
        card: goodCard,
        idempotencyKey: randomUUID(),
      });
      return { booking: b };
    } catch (err) {
      const ce = toConnectError(err);
      return { error: reasonOf(ce) ?? String(ce.code) };
    }
  }

  async function soldState(eventId: string) {
    const rows = await fx.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string; booking_id: string | null; status: string }[]>(
        `select id, booking_id, status from inventory.ticket where event_id = '${eventId}'`,
      );
    const confirmed = await fx.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string; ticket_ids: string[] }[]>(
        `select id, ticket_ids from inventory.booking where event_id = '${eventId}' and status = 'CONFIRMED'`,
      );
    return { rows, confirmed };
  }

  it("100 concurrent clients on one ticket: exactly one booking", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const results = await Promise.all(Array.from({ length: 100 }, () => attempt(eventId, ticketIds)));
    const winners = results.filter((r) => r.booking);
    expect(winners).to.have.length(1);
    const losers = new Set(results.filter((r) => r.error).map((r) => r.error));
    expect([...losers]).to.deep.equal(["SEAT_TAKEN"]);
    const { rows, confirmed } = await soldState(eventId);
    expect(rows[0]).to.include({ status: "SOLD", booking_id: winners[0]?.booking?.id });
    expect(confirmed).to.have.length(1);
    expect(
      (await fx.gateway.payments()).filter(
        (p) => p.state === "CAPTURED" && p.key === winners[0]?.booking?.id,
      ),
    ).to.have.length(1);
  });

  it("2,000 concurrent attempts over 500 seats with random multi-seat requests: no seat sold twice", async () => {
    const { eventId, ticketIds } = await fx.seed(500);
    const paymentsBefore = (await fx.gateway.payments()).length;
    const requests = Array.from({ length: 2000 }, () => {
      const count = randomInt(1, 5);
      const picked = new Set<string>();
      while (picked.size < count) picked.add(ticketIds[randomInt(0, ticketIds.length)] as string);
      return [...picked];
    });
    const results = await Promise.all(requests.map((ids) => attempt(eventId, ids)));
    const bookings = results.flatMap((r) => (r.booking ? [r.booking] : []));
    const errors = results.flatMap((r) => (r.error ? [r.error] : []));
    expect([...new Set(errors)], "losers' errors").to.deep.equal(["SEAT_TAKEN"]);

    const booked = bookings.flatMap((b) => b.ticketIds);
    expect(new Set(booked).size, "a ticket appears in two bookings").to.equal(booked.length);
    const { rows, confirmed } = await soldState(eventId);
    const sold = rows.filter((r) => r.status === "SOLD");
    expect(sold.length).to.equal(booked.length);
    expect(new Set(sold.map((r) => r.id))).to.deep.equal(new Set(booked));
    expect(confirmed.length).to.equal(bookings.length);
    for (const r of sold) expect(bookings.some((b) => b.id === r.booking_id)).to.equal(true);
    // Money matches tickets: one capture per booking, nothing left authorized.
    const payments = (await fx.gateway.payments()).slice(paymentsBefore);
    expect(payments.filter((p) => p.state === "CAPTURED")).to.have.length(bookings.length);
    expect(payments.filter((p) => p.state === "AUTHORIZED")).to.have.length(0);
    expect(bookings.length).to.be.greaterThan(50);
  });
});
