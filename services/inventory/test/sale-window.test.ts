import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { reasonOf } from "#platform";
import { connectErrorOf } from "#platform/testing";
import type { SaleWindow } from "../src/sales/sale-window.ts";
import { createInventoryFixture, goodCard, type InventoryFixture, onSale, user } from "./fixture.ts";

const day = 86_400_000;

describe("inventory: no sale outside the sale window", () => {
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("sale_window");
  });
  after(async () => {
    await fx?.close();
  });

  const refusals: [string, Partial<SaleWindow>, RegExp][] = [
    ["a cancelled event", { status: "CANCELLED" }, /cancelled/],
    ["a postponed event", { status: "POSTPONED" }, /postponed/],
    ["a scheduled event not yet on sale", { status: "SCHEDULED" }, /not on sale yet/],
    ["an on-sale window not opened yet", { saleStartsAt: new Date(Date.now() + day) }, /go on sale at 20/],
    ["an on-sale window already closed", { saleEndsAt: new Date(Date.now() - 1000) }, /closed at 20/],
    ["an event in the past", { startsAt: new Date(Date.now() - day) }, /already started/],
  ];
  for (const [what, window, message] of refusals) {
    it(`refuses holds and bookings for ${what}: not_on_sale, nothing charged or held`, async () => {
      const { eventId, ticketIds } = await fx.seed(2);
      await fx.inventory.sales.save(onSale(eventId, { ...window, version: 2 }));
      const payments = (await fx.gateway.payments()).length;
      const hold = await connectErrorOf(fx.inventory.holds.hold(user(), eventId, ticketIds));
      const book = await connectErrorOf(
        fx.inventory.booking.book({
          caller: user(),
          eventId,
          ticketIds,
          card: goodCard,
          idempotencyKey: "k",
        }),
      );
      for (const err of [hold, book]) {
        expect(err.code).to.equal(Code.FailedPrecondition);
        expect(reasonOf(err)).to.equal("NOT_ON_SALE");
        expect(err.rawMessage).to.match(message);
      }
      expect((await fx.gateway.payments()).length).to.equal(payments);
      expect(await fx.inventory.index.heldIds(eventId, new Date())).to.deep.equal([]);
    });
  }

  it("an event inventory has no window for (never provisioned, or removed) is NotFound", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    await fx.orm.em.fork().execute("delete from inventory.event_sale where event_id = ?", [eventId]);
    const fresh = fx.rebuild(); // a process that never cached it
    const err = await connectErrorOf(fresh.holds.hold(user(), eventId, ticketIds));
    expect(err.code).to.equal(Code.NotFound);
    expect(err.rawMessage).to.equal(`no event ${eventId} with tickets on sale`);
  });

  it("a cancellation from the feed stops sales at once; an older copy never reopens them", async () => {
    const { eventId, ticketIds } = await fx.seed(2);
    const hold = await fx.inventory.holds.hold(user(), eventId, ticketIds.slice(0, 1));
    expect(hold.holdId).to.be.a("string");
    const cancelled = onSale(eventId, { status: "CANCELLED", version: 3 });
    await fx.inventory.sales.apply([{ sequence: 10n, eventId, window: cancelled }]);
    const err = await connectErrorOf(fx.inventory.holds.hold(user(), eventId, ticketIds.slice(1)));
    expect(reasonOf(err)).to.equal("NOT_ON_SALE");
    // A late provisioning copy (catalog version 1) changes nothing, here or in another process.
    await fx.inventory.sales.save(onSale(eventId, { version: 1 }));
    for (const inventory of [fx.inventory, fx.rebuild()]) {
      const again = await connectErrorOf(inventory.holds.hold(user(), eventId, ticketIds.slice(1)));
      expect(again.rawMessage).to.match(/cancelled/);
    }
    // And the position moved forward for the next process.
    expect((await fx.rebuild().sales.position()).appliedSequence).to.equal(10n);
  });

  it("an event back on sale (newer version) sells again", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    await fx.inventory.sales.apply([
      { sequence: 20n, eventId, window: onSale(eventId, { status: "POSTPONED", version: 2 }) },
      { sequence: 21n, eventId, window: onSale(eventId, { version: 3 }) },
    ]);
    const booking = await fx.inventory.booking.book({
      caller: user(),
      eventId,
      ticketIds,
      card: goodCard,
      idempotencyKey: randomUUID(),
    });
    expect(booking.status).to.equal("CONFIRMED");
  });
});
