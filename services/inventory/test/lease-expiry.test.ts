// A hold answered after its lease already ran out (inventory or Redis paused mid-request) would
// promise seats that anyone can take. Redlock returns such a lock as if it were fine; the lease
// store checks what is left of it before anything is answered.
import { setTimeout as sleep } from "node:timers/promises";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { connectErrorOf } from "#platform/testing";
import { createInventoryFixture, type InventoryFixture, user } from "./fixture.ts";
import { type RedisServers, startRedisServers } from "./infra.ts";

describe("inventory: a lease that lapsed before it was answered", function () {
  this.timeout(30_000);
  let redis: RedisServers;
  let fx: InventoryFixture;
  before(async () => {
    redis = await startRedisServers(1);
    fx = await createInventoryFixture("lease_expiry", {
      lockUrls: redis.urls,
      settings: { HOLD_SECONDS: 1 },
    });
  });
  after(async () => {
    await fx?.close().catch(() => undefined);
    await redis?.stopAll();
  });

  it("a hold whose lease ran out while the lock server was paused is refused and released, not answered", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const port = redis.ports[0] as number;
    redis.pause(port);
    const late = fx.inventory.holds.hold(user(), eventId, ticketIds);
    await sleep(1300); // longer than HOLD_SECONDS: the lease is over before Redis even answers
    redis.resume(port);
    const err = await connectErrorOf(late);
    expect(err.code).to.equal(Code.Aborted);
    expect(err.rawMessage).to.equal(
      "the seats' lease ran out before it could be confirmed (the service was slow); nothing is held — try again",
    );
    expect(await fx.inventory.index.heldIds(eventId, new Date())).to.deep.equal([]);
    // Given back at once, not left to its TTL: the next hold succeeds and answers its real expiry.
    const hold = await fx.inventory.holds.hold(user(), eventId, ticketIds);
    expect(Date.parse(hold.expiresAt) - Date.now()).to.be.within(0, 1000);
  });
});
