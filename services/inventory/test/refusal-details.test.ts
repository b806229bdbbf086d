// Inventory's refusals carry their reason and the taken tickets as typed ConnectError details,
// over the wire (a real gRPC server and client), not as headers.
import { randomUUID } from "node:crypto";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { expect } from "chai";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { TakenTicketsSchema } from "#gen/ticketing/inventory/v1/taken_tickets_pb.js";
import {
  asCaller,
  createLogger,
  IdentityVerifier,
  publicKeysParser,
  type RunningServer,
  reasonOf,
  serve,
} from "#platform";
import { connectErrorOf, testIdentityEnv, testSigner } from "#platform/testing";
import { createInventoryFixture, goodCard, type InventoryFixture, user } from "./fixture.ts";

describe("inventory: refusals as typed ConnectError details", () => {
  let fx: InventoryFixture;
  let server: RunningServer;
  before(async () => {
    fx = await createInventoryFixture("refusal_details");
    server = await serve({
      serviceNames: [InventoryService.typeName],
      port: 0,
      host: "127.0.0.1",
      logger: createLogger("inventory-test", "silent"),
      routes: (router) => router.service(InventoryService, fx.inventory.rpc),
      identity: new IdentityVerifier(
        publicKeysParser(testIdentityEnv().IDENTITY_PUBLIC_KEYS, "IDENTITY_PUBLIC_KEYS"),
        "inventory",
      ),
    });
  });
  after(async () => {
    await server?.close();
    await fx?.close();
  });

  const client = () =>
    createClient(
      InventoryService,
      createGrpcTransport({ baseUrl: server.url, interceptors: [testSigner().interceptor("inventory")] }),
    );
  const payment = { cardNumber: goodCard.number, expMonth: 12, expYear: 2099, cvc: "123", name: "Ada" };

  it("SEAT_TAKEN names each taken ticket with its buyer or holder in a TakenTickets detail", async () => {
    const { eventId, ticketIds } = await fx.seed(3);
    const [sold, held, free] = ticketIds as [string, string, string];
    const buyer = user("buyer");
    const holder = user("holder");
    const other = asCaller(user("other"));
    await client().bookTickets(
      { eventId, ticketIds: [sold], idempotencyKey: randomUUID(), payment },
      asCaller(buyer),
    );
    await client().holdTickets({ eventId, ticketIds: [held] }, asCaller(holder));

    const soldErr = await connectErrorOf(
      client().bookTickets(
        { eventId, ticketIds: [free, sold], idempotencyKey: randomUUID(), payment },
        other,
      ),
    );
    const heldErr = await connectErrorOf(client().holdTickets({ eventId, ticketIds: [free, held] }, other));
    for (const [err, ticketId, owner] of [
      [soldErr, sold, buyer.userId],
      [heldErr, held, holder.userId],
    ] as const) {
      expect(reasonOf(err)).to.equal("SEAT_TAKEN");
      const taken = err.findDetails(TakenTicketsSchema).flatMap((d) => d.tickets);
      expect(taken.map((t) => [t.ticketId, t.owner])).to.deep.equal([[ticketId, owner]]);
      expect(err.metadata.get("x-taken-tickets")).to.equal(null);
      expect(err.metadata.get("ticketing-reason")).to.equal(null);
    }
  });

  it("other reasons travel the same way: HOLD_LOST", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const err = await connectErrorOf(
      client().bookTickets(
        { eventId, ticketIds, holdId: randomUUID(), idempotencyKey: randomUUID(), payment },
        asCaller(user()),
      ),
    );
    expect(reasonOf(err)).to.equal("HOLD_LOST");
  });
});
