// SEAT_TAKEN travels from inventory to the edge as typed ConnectError details (platform.v1.ErrorReason
// and ticketing.inventory.v1.TakenTickets), and reaches callers naming the taken seats — never
// their owners, who are other users.
import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { TakenTicketsSchema } from "#gen/ticketing/inventory/v1/taken_tickets_pb.js";
import { reasonOf } from "#platform";
import { connectErrorOf } from "#platform/testing";
import { login, seedTickets, startTestStack, type TestStack } from "./stack.ts";
import { edgeClient } from "./view-fixtures.ts";

const card = { cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123", name: "Ada" };

describe("edge: SEAT_TAKEN names the taken seats", function () {
  this.timeout(60_000);
  let stack: TestStack;
  const tokens: Record<string, string> = {};
  before(async () => {
    // No refusal cache: every refusal here is inventory's own answer, through the wire.
    stack = await startTestStack("edge_seat_taken", { EDGE_SEAT_REFUSAL_MS: "0" });
    for (const who of ["a", "b"]) tokens[who] = await login(stack.edgeUrl, `taken-${who}@example.com`);
  });
  after(async () => {
    await stack?.close();
  });

  const rest = async (who: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${stack.edgeUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[who]}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  it("REST 409 seat_taken lists the sold and the held seats of the request, and no owner", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 4);
    const [sold, held, free] = ticketIds as [string, string, string, string];
    const bought = await rest(
      "a",
      `/bookings/${eventId}`,
      { ticketIds: [sold], paymentDetails: card },
      {
        "idempotency-key": randomUUID(),
      },
    );
    expect(bought.status).to.equal(201);
    expect((await rest("a", `/events/${eventId}/holds`, { ticketIds: [held] })).status).to.equal(201);

    const soldRefusal = await rest(
      "b",
      `/bookings/${eventId}`,
      { ticketIds: [free, sold], paymentDetails: card },
      {
        "idempotency-key": randomUUID(),
      },
    );
    expect(soldRefusal.status).to.equal(409);
    expect(soldRefusal.body).to.deep.include({ code: "seat_taken", takenTicketIds: [sold] });
    const heldRefusal = await rest("b", `/events/${eventId}/holds`, { ticketIds: [free, held] });
    expect(heldRefusal.status).to.equal(409);
    expect(heldRefusal.body).to.deep.include({ code: "seat_taken", takenTicketIds: [held] });
    // Nothing else travels to the caller: no owner (another user) and no JSON header.
    expect(Object.keys(soldRefusal.body).sort()).to.deep.equal(["code", "message", "takenTicketIds"]);
    expect(soldRefusal.headers.get("x-taken-tickets")).to.equal(null);
  });

  it("Connect callers get the reason and a TakenTickets detail without owners", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 2);
    const a = await edgeClient(TicketingService, stack, "taken-a@example.com");
    const b = await edgeClient(TicketingService, stack, "taken-b@example.com");
    await a.holdTickets({ eventId, ticketIds: [ticketIds[0] as string] });
    const err = await connectErrorOf(b.holdTickets({ eventId, ticketIds }));
    expect(err.code).to.equal(Code.FailedPrecondition);
    expect(reasonOf(err)).to.equal("SEAT_TAKEN");
    const taken = err.findDetails(TakenTicketsSchema).flatMap((d) => d.tickets);
    expect(taken.map((t) => ({ ticketId: t.ticketId, owner: t.owner }))).to.deep.equal([
      { ticketId: ticketIds[0], owner: "" },
    ]);
    expect(err.metadata.get("x-taken-tickets")).to.equal(null);
    expect(err.metadata.get("ticketing-reason")).to.equal(null);
  });
});
