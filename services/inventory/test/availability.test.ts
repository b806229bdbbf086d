import { randomUUID } from "node:crypto";
import { expect } from "chai";
import pg from "pg";
import { TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { connectErrorOf } from "#platform/testing";
import { priceRangesSql } from "../src/tickets/ticket-repository.ts";
import { createInventoryFixture, goodCard, type InventoryFixture, onSale, user } from "./fixture.ts";

describe("inventory: availability and ticket lists", () => {
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("availability");
  });
  after(async () => {
    await fx?.close();
  });

  it("counts available, held and sold per section with min/max prices", async () => {
    const eventId = randomUUID();
    const [floor, balcony] = [randomUUID(), randomUUID()].sort();
    const tickets = [
      ...[1, 2, 3].map((seat) => ({
        sectionId: floor as string,
        rowLabel: "A",
        seat,
        priceCents: 9000 + seat,
      })),
      ...[1, 2].map((seat) => ({ sectionId: balcony as string, rowLabel: "", seat, priceCents: 2500 })),
    ].map((t) => ({ ...t, eventId, currency: "EUR" }));
    expect(await fx.inventory.tickets.insertMissing(tickets)).to.equal(5);
    await fx.inventory.sales.save(onSale(eventId));
    const all = await fx.inventory.tickets.list(eventId);
    const floorIds = all.filter((t) => t.sectionId === floor).map((t) => t.id);
    await fx.inventory.holds.hold(user(), eventId, [floorIds[0] as string]);

    const res = await fx.inventory.rpc.getAvailability({ eventId } as never);
    expect(res.currency).to.equal("EUR");
    const bySection = Object.fromEntries(res.sections.map((s) => [s.sectionId, s]));
    expect(bySection[floor as string]).to.include({ available: 2, held: 1, sold: 0 });
    expect(bySection[floor as string]?.minPriceCents).to.equal(9001n);
    expect(bySection[floor as string]?.maxPriceCents).to.equal(9003n);
    expect(bySection[balcony as string]).to.include({ available: 2, held: 0, sold: 0 });

    const list = await fx.inventory.rpc.listTickets({ eventId, sectionId: floor } as never);
    expect(list.tickets.map((t) => [t.row, t.seat, t.status])).to.deep.equal([
      ["A", 1, TicketStatus.HELD],
      ["A", 2, TicketStatus.AVAILABLE],
      ["A", 3, TicketStatus.AVAILABLE],
    ]);
    const everything = await fx.inventory.rpc.listTickets({ eventId, sectionId: "" } as never);
    expect(everything.tickets).to.have.length(5);
  });

  it("shows a hold as HELD at once and forgets it when released or expired", async () => {
    const { eventId, ticketIds } = await fx.seed(4);
    const buyer = user();
    const hold = await fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(0, 2));
    const statuses = async () =>
      (await fx.inventory.rpc.listTickets({ eventId, sectionId: "" } as never)).tickets.map((t) => t.status);
    expect(await statuses()).to.deep.equal([
      TicketStatus.HELD,
      TicketStatus.HELD,
      TicketStatus.AVAILABLE,
      TicketStatus.AVAILABLE,
    ]);
    // Someone else cannot release it, and it looks like it does not exist.
    expect((await connectErrorOf(fx.inventory.holds.release(user(), hold.holdId))).rawMessage).to.match(
      /no such hold/,
    );
    await fx.inventory.holds.release(buyer, hold.holdId);
    expect(await statuses()).to.deep.equal(Array(4).fill(TicketStatus.AVAILABLE));

    await fx.inventory.holds.hold(buyer, eventId, ticketIds.slice(2, 3));
    fx.clock.advance(601_000); // the display prunes by the hold's expiry
    try {
      expect(await statuses()).to.deep.equal(Array(4).fill(TicketStatus.AVAILABLE));
    } finally {
      fx.clock.advance(-601_000);
    }
  });

  it("reports price ranges of available tickets per event, moving as the extremes sell", async () => {
    const eventId = randomUUID();
    const sectionId = randomUUID();
    const prices = [4000, 2500, 9900, 2500, 6000];
    await fx.inventory.tickets.insertMissing(
      prices.map((priceCents, i) => ({
        eventId,
        sectionId,
        rowLabel: "A",
        seat: i + 1,
        priceCents,
        currency: "EUR",
      })),
    );
    await fx.inventory.sales.save(onSale(eventId));
    const other = await fx.seed(3, 1000);
    const ranges = async (...eventIds: string[]) =>
      Object.fromEntries(
        (await fx.inventory.rpc.getPriceRanges({ eventIds } as never)).ranges.map((r) => [
          r.eventId,
          [r.minPriceCents, r.maxPriceCents, r.currency],
        ]),
      );
    expect(await ranges(eventId, other.eventId, randomUUID())).to.deep.equal({
      [eventId]: [2500n, 9900n, "EUR"],
      [other.eventId]: [1000n, 1000n, "USD"],
    });
    expect(
      (await fx.inventory.rpc.getPriceRanges({ eventIds: [eventId, randomUUID()] } as never)).soldOutEventIds,
    ).to.deep.equal([]);

    const tickets = await fx.inventory.tickets.list(eventId);
    const priced = (cents: number) => tickets.filter((t) => t.priceCents === cents).map((t) => t.id);
    const sell = (ticketIds: string[]) =>
      fx.inventory.booking.book({
        caller: user(),
        eventId,
        ticketIds,
        card: goodCard,
        idempotencyKey: randomUUID(),
      });
    await sell([...priced(2500), ...priced(9900)]);
    expect(await ranges(eventId)).to.deep.equal({ [eventId]: [4000n, 6000n, "EUR"] });
    await sell([...priced(4000), ...priced(6000)]);
    expect(await ranges(eventId)).to.deep.equal({});
    // Sold out (every ticket sold) is told apart from an event that has no tickets at all.
    const soldOut = await fx.inventory.rpc.getPriceRanges({
      eventIds: [eventId, other.eventId, randomUUID()],
    } as never);
    expect(soldOut.soldOutEventIds).to.deep.equal([eventId]);
  });

  it("finds price ranges through the available-price index, never by scanning an event's tickets", async () => {
    const { eventId } = await fx.seed(2000, 3000);
    const db = new pg.Client({ connectionString: fx.databaseUrl });
    await db.connect();
    try {
      await db.query("analyze inventory.ticket");
      const { rows } = await db.query({ text: `explain ${priceRangesSql}`, values: [[eventId]] });
      const plan = rows.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("\n");
      expect(plan).to.include("ticket_available_price_index");
      expect(plan).not.to.match(/Seq Scan on ticket|Bitmap Heap Scan on ticket|Sort/);
    } finally {
      await db.end();
    }
  });

  it("returns no sections for an event without tickets", async () => {
    const res = await fx.inventory.rpc.getAvailability({ eventId: randomUUID() } as never);
    expect(res.sections).to.deep.equal([]);
  });
});
