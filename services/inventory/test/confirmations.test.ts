import { expect } from "chai";
import { createInventoryFixture, type InventoryFixture } from "./fixture.ts";

describe("inventory: CONFIRMED marks for several bookings in one statement", () => {
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("confirmations");
  });
  after(async () => {
    await fx?.close();
  });

  it("confirms several PENDING bookings in one statement and leaves settled ones alone", async () => {
    const { eventId, ticketIds } = await fx.seed(3);
    const ids = await Promise.all(ticketIds.map((t) => fx.openBooking(eventId, [t])));
    await fx.inventory.bookings.fail(ids[2] as string, "INCOMPLETE: test", null, new Date());
    await fx.inventory.bookings.confirmLazily(ids, new Date());
    const statuses = await Promise.all(
      ids.map(async (id) => (await fx.inventory.bookings.findById(id))?.status),
    );
    expect(statuses).to.deep.equal(["CONFIRMED", "CONFIRMED", "FAILED"]);
  });
});
