// No impersonation through the internal services: each verifies the identity token the edge
// signed for it. Called directly with a forged, expired or misdirected identity they answer
// Unauthenticated; bare x-user-id headers are ignored; through the edge everything works.
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { SearchService } from "#gen/ticketing/search/v1/search_pb.js";
import { serviceClient } from "#platform";
import { connectErrorOf, forgedIdentityHeaders } from "#platform/testing";
import { login, seedTickets, startTestStack, type TestStack } from "./stack.ts";

describe("identity: services trust only edge-signed identity tokens", function () {
  this.timeout(60_000);
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack("identity");
  });
  after(async () => {
    await stack?.close();
  });

  const fan = { userId: "00000000-0000-4000-8000-0000000000f1", role: "user" } as const;

  it("inventory: forged, expired, misdirected and unsigned identities are Unauthenticated; bare headers are ignored", async () => {
    const inventory = serviceClient(InventoryService, stack.inventoryUrl);
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 1);
    for (const [what, headers] of Object.entries(await forgedIdentityHeaders(fan, "inventory"))) {
      const mine = await connectErrorOf(inventory.listMyBookings({}, { headers }));
      expect(mine.code, what).to.equal(Code.Unauthenticated);
      expect(mine.rawMessage, what).to.match(what.startsWith("bare") ? /^sign in first$/ : /identity token/);
      const hold = await connectErrorOf(inventory.holdTickets({ eventId, ticketIds }, { headers }));
      expect(hold.code, what).to.equal(Code.Unauthenticated);
    }
    // Nothing was held by any of them: the seat is still free for a real buyer through the edge.
    const token = await login(stack.edgeUrl, "fan-identity@example.com");
    const res = await fetch(`${stack.edgeUrl}/events/${eventId}/holds`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ ticketIds }),
    });
    expect(res.status).to.equal(201);
  });

  it("search: a bad identity token is refused even on a read; no token reads", async () => {
    const search = serviceClient(SearchService, stack.searchUrl);
    for (const [what, headers] of Object.entries(await forgedIdentityHeaders(fan, "search"))) {
      if (what.startsWith("bare")) {
        expect((await search.searchEvents({ keyword: "x" }, { headers })).events, what).to.be.an("array");
      } else {
        const err = await connectErrorOf(search.searchEvents({ keyword: "x" }, { headers }));
        expect(err.code, what).to.equal(Code.Unauthenticated);
      }
    }
  });

  it("through the edge: my bookings work with a bearer token, and are 401 without one", async () => {
    const token = await login(stack.edgeUrl, "fan-identity-2@example.com");
    const mine = await fetch(`${stack.edgeUrl}/me/bookings`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(mine.status).to.equal(200);
    expect(((await mine.json()) as { bookings: unknown[] }).bookings).to.deep.equal([]);
    const anonymous = await fetch(`${stack.edgeUrl}/me/bookings`, { headers: { "x-user-id": fan.userId } });
    expect(anonymous.status).to.equal(401);
  });
});
