// Item: sales only inside the sale window, decided by inventory from its own copy of the
// catalog's status, and a cancellation in the catalog stops sales within the feed's latency.
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { CatalogService, EventStatus } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { asCaller } from "#platform";
import { signedClient } from "#platform/testing";
import { eventRequest, venueRequest } from "../../services/catalog/test/fixtures.ts";
import { login, startTestStack, type TestStack } from "./stack.ts";

describe("edge: no sale outside the sale window", function () {
  this.timeout(60_000);
  let stack: TestStack;
  let token: string;
  const admin = asCaller({ userId: randomUUID(), role: "admin" });
  before(async () => {
    // A poll interval far longer than the test: only the catalog's pub/sub wake-up can be this fast.
    stack = await startTestStack("sale_window", { SALE_FEED_POLL_MS: "600000" });
    token = await login(stack.edgeUrl, "fan@example.com");
  });
  after(async () => {
    await stack?.close();
  });

  const hold = async (eventId: string, ticketIds: string[]) => {
    const res = await fetch(`${stack.edgeUrl}/events/${eventId}/holds`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ ticketIds }),
    });
    return { status: res.status, body: (await res.json()) as { code?: string; message?: string } };
  };

  /** An event with this status at a venue, provisioned; returns its id and ticket ids. */
  async function provisioned(status: EventStatus, startsAt = new Date(Date.now() + 86_400_000)) {
    const catalog = signedClient(CatalogService, stack.catalogUrl);
    const inventory = signedClient(InventoryService, stack.inventoryUrl);
    const { venue } = await catalog.createVenue(venueRequest(), admin);
    const { event } = await catalog.createEvent(eventRequest(venue?.id ?? "", startsAt, { status }), admin);
    const eventId = event?.id ?? "";
    const priceTiers = (venue?.sections ?? []).map((s) => ({ sectionId: s.id, priceCents: 5000n }));
    await inventory.provisionTickets({ eventId, priceTiers, currency: "USD" }, admin);
    const { tickets } = await inventory.listTickets({ eventId });
    return { catalog, eventId, ticketIds: tickets.map((t) => t.id) };
  }

  it("a scheduled event is 409 not_on_sale with the reason; once on sale it holds", async () => {
    const { catalog, eventId, ticketIds } = await provisioned(EventStatus.SCHEDULED);
    const refused = await hold(eventId, ticketIds.slice(0, 1));
    expect(refused).to.deep.equal({
      status: 409,
      body: { code: "not_on_sale", message: "tickets for this event are not on sale yet" },
    });
    await catalog.updateEvent({ eventId, status: EventStatus.ON_SALE }, admin);
    let answer = refused;
    for (let i = 0; i < 40 && answer.status !== 201; i++) {
      await new Promise((r) => setTimeout(r, 50));
      answer = await hold(eventId, ticketIds.slice(0, 1));
    }
    expect(answer.status).to.equal(201);
  });

  it("cancelling an event in the catalog stops its sales within 2 s (the feed's pub/sub latency)", async () => {
    const { catalog, eventId, ticketIds } = await provisioned(EventStatus.ON_SALE);
    expect((await hold(eventId, ticketIds.slice(0, 1))).status).to.equal(201);
    await catalog.updateEvent({ eventId, status: EventStatus.CANCELLED }, admin);
    const cancelledAt = Date.now();
    // Each attempt holds another seat, so only the cancellation can refuse one.
    let next = 1;
    let answer = await hold(eventId, [ticketIds[next] ?? ""]);
    while (answer.status === 201 && Date.now() - cancelledAt < 2000 && next < ticketIds.length - 1) {
      next += 1;
      answer = await hold(eventId, [ticketIds[next] ?? ""]);
    }
    expect(answer).to.deep.include({ status: 409 });
    expect(answer.body).to.deep.equal({
      code: "not_on_sale",
      message: "this event was cancelled: its tickets are no longer on sale",
    });
  });
});
