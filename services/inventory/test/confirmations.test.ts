import { expect } from "chai";
import { createLogger } from "#platform";
import type { BookingRepository } from "../src/bookings/booking-repository.ts";
import { Confirmations } from "../src/bookings/confirmations.ts";
import { createInventoryFixture, type InventoryFixture } from "./fixture.ts";

describe("inventory: CONFIRMED marks go out grouped", () => {
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("confirmations");
  });
  after(async () => {
    await fx?.close();
  });

  const logger = createLogger("confirmations-test", "silent");

  it("confirms every booking of a burst: the first at once, the rest together in one statement", async () => {
    const { eventId, ticketIds } = await fx.seed(40);
    const ids = await Promise.all(ticketIds.map((t) => fx.openBooking(eventId, [t])));
    // The real repository, counting the statements it is asked to run.
    const batches: number[] = [];
    const counting = Object.create(fx.inventory.bookings, {
      confirmLazily: {
        value: (batch: string[], now: Date) => {
          batches.push(batch.length);
          return fx.inventory.bookings.confirmLazily(batch, now);
        },
      },
    }) as BookingRepository;
    const confirmations = new Confirmations(counting, fx.clock, logger);
    await Promise.all(ids.map((id) => confirmations.confirm(id)));
    const statuses = await Promise.all(
      ids.map(async (id) => (await fx.inventory.bookings.findById(id))?.status),
    );
    expect(statuses).to.deep.equal(ids.map(() => "CONFIRMED"));
    // The first goes out at once, alone; the 39 that arrived while it ran share the next statement.
    expect(batches).to.deep.equal([1, 39]);
  });

  it("leaves settled bookings alone and fails every waiter of a failed statement", async () => {
    const { eventId, ticketIds } = await fx.seed(2);
    const [open, failed] = await Promise.all(ticketIds.map((t) => fx.openBooking(eventId, [t])));
    await fx.inventory.bookings.fail(failed as string, "INCOMPLETE: test", null, new Date());
    const confirmations = new Confirmations(fx.inventory.bookings, fx.clock, logger);
    await Promise.all([confirmations.confirm(open as string), confirmations.confirm(failed as string)]);
    expect((await fx.inventory.bookings.findById(open as string))?.status).to.equal("CONFIRMED");
    expect((await fx.inventory.bookings.findById(failed as string))?.status).to.equal("FAILED");

    const broken = Object.create(fx.inventory.bookings, {
      confirmLazily: { value: () => Promise.reject(new Error("connection lost")) },
    }) as BookingRepository;
    const failing = new Confirmations(broken, fx.clock, logger);
    const results = await Promise.allSettled([failing.confirm("a"), failing.confirm("b")]);
    expect(results.map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
  });
});
