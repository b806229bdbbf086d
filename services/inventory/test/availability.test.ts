import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { connectErrorOf } from "#platform/testing-errors.ts";
import { createInventoryFixture, type InventoryFixture, user } from "./fixture.ts";

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

  it("reports price ranges of available tickets per event and leaves out empty events", async () => {
    const a = await fx.seed(3, 1000);
    const res = await fx.inventory.rpc.getPriceRanges({ eventIds: [a.eventId, randomUUID()] } as never);
    expect(res.ranges).to.have.length(1);
    expect(res.ranges[0]).to.include({
      eventId: a.eventId,
      minPriceCents: 1000n,
      maxPriceCents: 1000n,
      currency: "USD",
    });
  });

  it("returns no sections for an event without tickets", async () => {
    const res = await fx.inventory.rpc.getAvailability({ eventId: randomUUID() } as never);
    expect(res.sections).to.deep.equal([]);
  });
});
