import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { connectErrorOf } from "#platform/testing";
import { createInventoryFixture, goodCard, type InventoryFixture, user } from "./fixture.ts";
import { type RedisServers, startRedisServers } from "./infra.ts";

describe("inventory: Redlock quorum over three Redis masters", function () {
  this.timeout(60_000);
  let servers: RedisServers;
  let fx: InventoryFixture;
  before(async () => {
    servers = await startRedisServers(3);
    fx = await createInventoryFixture("quorum", { lockUrls: servers.urls });
  });
  after(async () => {
    await fx?.close();
    await servers?.stopAll();
  });

  it("holds and books with all three, keeps working with one stopped, fails closed with two stopped", async () => {
    const { eventId, ticketIds } = await fx.seed(6);
    const [a, b, c, d, e, f] = ticketIds as [string, string, string, string, string, string];
    await fx.inventory.holds.hold(user(), eventId, [a]);

    await servers.stop(servers.ports[0] as number);
    const hold = await fx.inventory.holds.hold(user(), eventId, [b, c]);
    expect(hold.ticketIds).to.deep.equal([b, c]);
    // The quorum still refuses a second holder of a held seat.
    const taken = await connectErrorOf(fx.inventory.holds.hold(user(), eventId, [c]));
    expect(taken.code).to.equal(Code.FailedPrecondition);
    const booked = await fx.inventory.booking.book({
      caller: user(),
      eventId,
      ticketIds: [d],
      card: goodCard,
      idempotencyKey: randomUUID(),
    });
    expect(booked.status).to.equal("CONFIRMED");

    await servers.stop(servers.ports[1] as number);
    const refused = await connectErrorOf(fx.inventory.holds.hold(user(), eventId, [e]));
    expect(refused.code).to.equal(Code.Unavailable);
    expect(refused.rawMessage).to.match(/lock service \(Redis\) did not answer/);
    const caller = user();
    const noBooking = await connectErrorOf(
      fx.inventory.booking.book({ caller, eventId, ticketIds: [f], card: goodCard, idempotencyKey: "x" }),
    );
    expect(noBooking.code).to.equal(Code.Unavailable);
    // Failed closed: nothing written, nothing charged, the seats still for sale.
    expect(await fx.inventory.bookings.findByKey(caller.userId, "x")).to.equal(undefined);
    const rows = await fx.inventory.tickets.find(eventId, [e, f]);
    expect(rows.map((r) => r.status)).to.deep.equal(["AVAILABLE", "AVAILABLE"]);
  });
});
