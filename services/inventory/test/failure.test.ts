import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { BookingStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { toConnectError } from "#platform";
import { connectErrorOf as caught } from "#platform/testing";
import { bookingToProto } from "../src/rpc/to-proto.ts";
import { createInventoryFixture, goodCard, type InventoryFixture, user } from "./fixture.ts";
import { type RedisServers, startRedisServers, type TcpProxy, tcpProxy } from "./infra.ts";

/** What a client would see: the server's interceptor maps driver errors the same way. */
const connectErrorOf = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (err) {
    return toConnectError(err);
  }
  return caught(Promise.resolve());
};

describe("inventory: a dependency down fails closed", function () {
  this.timeout(60_000);

  describe("Redis down", () => {
    let redis: RedisServers;
    let fx: InventoryFixture;
    before(async () => {
      redis = await startRedisServers(1);
      fx = await createInventoryFixture("redis_down", { redisUrl: redis.urls[0], lockUrls: redis.urls });
    });
    after(async () => {
      await fx?.close().catch(() => undefined);
      await redis?.stopAll();
    });

    it("holds and bookings answer Unavailable with a clear message; reads keep serving", async () => {
      const { eventId, ticketIds } = await fx.seed(2);
      await redis.stop(redis.ports[0] as number);
      const hold = await connectErrorOf(fx.inventory.holds.hold(user(), eventId, ticketIds));
      expect(hold.code).to.equal(Code.Unavailable);
      expect(hold.rawMessage).to.match(/Redis/);
      const caller = user();
      const book = await connectErrorOf(
        fx.inventory.booking.book({ caller, eventId, ticketIds, card: goodCard, idempotencyKey: "k" }),
      );
      expect(book.code).to.equal(Code.Unavailable);
      expect(await fx.inventory.bookings.findByKey(caller.userId, "k")).to.equal(undefined);
      expect(await fx.gateway.payments()).to.have.length(0);
      const availability = await fx.inventory.rpc.getAvailability({ eventId } as never);
      expect(availability.sections[0]).to.include({ available: 2, held: 0, sold: 0 });
    });
  });

  describe("PostgreSQL down", () => {
    let proxy: TcpProxy;
    let fx: InventoryFixture;
    before(async () => {
      proxy = await tcpProxy(5432);
      fx = await createInventoryFixture("pg_down", {
        ormUrl: (url) => url.replace(":5432/", `:${proxy.port}/`),
        settings: { RECONCILE_AFTER_SECONDS: 60 },
      });
    });
    after(async () => {
      await proxy?.up().catch(() => undefined);
      await fx?.close();
      await proxy?.down();
    });

    it("holds, bookings and reads answer Unavailable while it is away", async () => {
      // Separate tickets for the hold and the booking: each must meet the database being down,
      // not the other's lease.
      const { eventId, ticketIds } = await fx.seed(2);
      await proxy.down();
      try {
        for (const call of [
          () => fx.inventory.holds.hold(user(), eventId, ticketIds.slice(0, 1)),
          () =>
            fx.inventory.booking.book({
              caller: user(),
              eventId,
              ticketIds: ticketIds.slice(1),
              card: goodCard,
              idempotencyKey: "a",
            }),
          () => fx.inventory.rpc.getAvailability({ eventId } as never),
        ]) {
          expect((await connectErrorOf(call())).code).to.equal(Code.Unavailable);
        }
      } finally {
        await proxy.up();
      }
      expect(await fx.gateway.payments()).to.have.length(0);
    });

    it("a CONFIRMED mark that cannot be written answers PENDING with the booking id; it reads CONFIRMED once settled", async () => {
      const { eventId, ticketIds } = await fx.seed(1);
      const cutting = fx.rebuild({
        onStep: async (step) => {
          if (step === "captured") await proxy.down();
        },
      });
      const caller = user();
      const answered = await cutting.booking
        .book({ caller, eventId, ticketIds, card: goodCard, idempotencyKey: randomUUID() })
        .finally(() => proxy.up());
      // Sold and charged, but not yet marked: the answer says PENDING (the edge's 202), never CONFIRMED.
      expect(answered.status).to.equal("PENDING");
      expect(bookingToProto(answered)).to.include({ id: answered.id, status: BookingStatus.PENDING });
      expect((await fx.gateway.payments()).find((p) => p.key === answered.id)?.state).to.equal("CAPTURED");
      expect((await fx.inventory.bookings.findById(answered.id))?.status).to.equal("PENDING");
      fx.clock.advance(61_000);
      try {
        expect(await fx.inventory.reconciler.runOnce()).to.deep.equal({ [answered.id]: "captured" });
      } finally {
        fx.clock.advance(-61_000);
      }
      // What GET /bookings/{id} reads from then on.
      expect((await fx.inventory.bookings.findById(answered.id))?.status).to.equal("CONFIRMED");
    });

    it("dying after the authorization leaves nothing half-written: nothing sold or captured, voided once it is back", async () => {
      const { eventId, ticketIds } = await fx.seed(2);
      const cutting = fx.rebuild({
        onStep: async (step) => {
          if (step === "authorized") await proxy.down();
        },
      });
      const caller = user();
      const err = await connectErrorOf(
        cutting.booking.book({ caller, eventId, ticketIds, card: goodCard, idempotencyKey: randomUUID() }),
      );
      expect(err.code).to.equal(Code.Unavailable);
      // The sale statement went to a dead connection: whether it committed is unknown to the
      // flow, so it must neither capture nor void on a guess; the data decides once it is back.
      const payment = async () => (await fx.gateway.payments()).at(-1);
      expect((await payment())?.state).to.equal("AUTHORIZED");
      await proxy.up();
      const rows = await fx.inventory.tickets.find(eventId, ticketIds);
      expect(rows.map((r) => r.status)).to.deep.equal(["AVAILABLE", "AVAILABLE"]);
      fx.clock.advance(61_000);
      try {
        const settled = await fx.inventory.reconciler.runOnce();
        expect(Object.values(settled)).to.deep.equal(["voided"]);
      } finally {
        fx.clock.advance(-61_000);
      }
      expect((await payment())?.state).to.equal("VOIDED");
      const [booking] = await fx.inventory.bookings.listForUser(caller.userId, 10, 0);
      expect(booking?.status).to.equal("FAILED");
    });
  });
});
