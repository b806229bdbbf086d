import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { fromBinary } from "@bufbuild/protobuf";
import { expect } from "chai";
import type { Redis } from "ioredis";
import {
  type SeatChange,
  SeatChangeKind,
  SeatChangeSchema,
} from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { createRedis, seatChannel } from "#platform";
import { testRedisUrl } from "#platform/testing";
import { createInventoryFixture, goodCard, type InventoryFixture, user } from "./fixture.ts";

/** Everything published on one event's seat channel, decoded. */
async function listen(fx: InventoryFixture, eventId: string) {
  const subscriber: Redis = createRedis(testRedisUrl);
  const seen: SeatChange[] = [];
  subscriber.on("messageBuffer", (_channel: Buffer, message: Buffer) => {
    seen.push(fromBinary(SeatChangeSchema, message));
  });
  await subscriber.subscribe(seatChannel(fx.prefix, eventId));
  return {
    seen,
    /** Waits until `n` messages arrived (pub/sub is asynchronous), then returns them as [kind, ids, by, seq]. */
    async first(n: number) {
      for (let i = 0; i < 200 && seen.length < n; i++) await sleep(10);
      return seen.map((c) => [c.kind, [...c.ticketIds].sort(), c.byUserId, Number(c.sequence)]);
    },
    close: () => subscriber.disconnect(),
  };
}

const sorted = (ids: string[]) => [...ids].sort();

describe("inventory: seat changes on the seat channel (typed, sequenced)", () => {
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("seat_changes", { settings: { HOLD_SECONDS: 5 } });
  });
  after(async () => {
    await fx?.close();
  });

  it("announces holds, releases and sales as SeatChange protos numbered 1, 2, 3 per event", async () => {
    const { eventId, ticketIds } = await fx.seed(4);
    const channel = await listen(fx, eventId);
    try {
      const holder = user("holder");
      const buyer = user("buyer");
      const hold = await fx.inventory.holds.hold(holder, eventId, ticketIds.slice(0, 2));
      await fx.inventory.holds.release(holder, hold.holdId);
      await fx.inventory.booking.book({
        caller: buyer,
        eventId,
        ticketIds: ticketIds.slice(2, 4),
        card: goodCard,
        idempotencyKey: randomUUID(),
      });
      expect(await channel.first(3)).to.deep.equal([
        [SeatChangeKind.HELD, sorted(ticketIds.slice(0, 2)), holder.userId, 1],
        [SeatChangeKind.RELEASED, sorted(ticketIds.slice(0, 2)), "", 2],
        [SeatChangeKind.SOLD, sorted(ticketIds.slice(2, 4)), buyer.userId, 3],
      ]);
      expect(channel.seen.every((c) => c.eventId === eventId)).to.equal(true);
    } finally {
      channel.close();
    }
  });

  it("announces a hold that ran out as EXPIRED once, however many replicas sweep", async () => {
    const { eventId, ticketIds } = await fx.seed(3);
    const channel = await listen(fx, eventId);
    try {
      await fx.inventory.holds.hold(user(), eventId, ticketIds.slice(0, 2));
      await fx.inventory.holds.hold(user(), eventId, ticketIds.slice(2, 3));
      const replica = fx.rebuild(); // a second inventory over the same Redis
      expect(await fx.inventory.expirySweeper.runOnce()).to.equal(0); // nothing ran out yet
      fx.clock.advance(6_000);
      try {
        const swept = await Promise.all([
          fx.inventory.expirySweeper.runOnce(),
          replica.expirySweeper.runOnce(),
        ]);
        expect(swept.reduce((a, b) => a + b)).to.equal(3);
        expect(await fx.inventory.expirySweeper.runOnce()).to.equal(0);
      } finally {
        fx.clock.advance(-6_000);
      }
      const changes = await channel.first(3);
      await sleep(50); // nothing else arrives
      expect(channel.seen).to.have.length(3);
      expect(changes[2]).to.deep.equal([SeatChangeKind.EXPIRED, sorted(ticketIds), "", 3]);
    } finally {
      channel.close();
    }
  });

  it("never announces (or hides) a newer holder's seat when an old hold is given back", async () => {
    const { eventId, ticketIds } = await fx.seed(2);
    const old = await fx.inventory.holds.hold(user("first"), eventId, ticketIds);
    // The old hold ran out and someone else holds one of its seats now (a later expiry).
    const other = {
      holdId: randomUUID(),
      userId: user("second").userId,
      eventId,
      ticketIds: ticketIds.slice(0, 1),
      expiresAt: new Date(Date.parse(old.expiresAt) + 60_000).toISOString(),
    };
    await fx.inventory.index.record(other);
    const channel = await listen(fx, eventId);
    try {
      await fx.inventory.index.forget(old);
      const changes = await channel.first(1);
      expect(changes).to.deep.equal([[SeatChangeKind.RELEASED, [ticketIds[1]], "", 3]]);
      expect(await fx.inventory.index.heldIds(eventId, fx.clock.now())).to.deep.equal(other.ticketIds);
    } finally {
      channel.close();
    }
  });

  it("announces an abandoned hold as released within 2 s of its expiry with the sweeper running", async () => {
    const fast = await createInventoryFixture("seat_expiry", {
      settings: { HOLD_SECONDS: 1, HOLD_EXPIRY_SWEEP_MS: 250 },
    });
    try {
      fast.inventory.expirySweeper.start();
      const { eventId, ticketIds } = await fast.seed(1);
      const channel = await listen(fast, eventId);
      try {
        const hold = await fast.inventory.holds.hold(user(), eventId, ticketIds);
        for (let i = 0; i < 300 && channel.seen.length < 2; i++) await sleep(10);
        const late = Date.now() - Date.parse(hold.expiresAt);
        expect(channel.seen.map((c) => c.kind)).to.deep.equal([SeatChangeKind.HELD, SeatChangeKind.EXPIRED]);
        expect(late).to.be.below(2000);
      } finally {
        channel.close();
      }
    } finally {
      await fast.inventory.expirySweeper.stop();
      await fast.close();
    }
  });
});
