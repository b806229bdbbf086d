import { expect } from "chai";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { signedClient } from "#platform/testing";
import { startTestStack, type TestStack } from "./stack.ts";
import { edgeClient, fan, getJson, provision, type SeededEvent, seedEvent } from "./view-fixtures.ts";

type Json = Record<string, unknown> & {
  event: Record<string, unknown>;
  venue: Record<string, unknown> & { sections: Record<string, unknown>[] };
  performers: Record<string, unknown>[];
  availability?: Record<string, unknown>[];
  tickets?: Record<string, unknown>[];
};

describe("edge: REST view API", () => {
  let stack: TestStack;
  let small: SeededEvent;
  let large: SeededEvent;
  let ticketsReady = false;
  before(async () => {
    // Venues above 10 places count as large here: the small one has 9, the large one 46.
    stack = await startTestStack("edge_view", { LARGE_VENUE_SEATS: "10" });
    const catalog = await edgeClient(CatalogService, stack, "admin@example.com");
    small = await seedEvent(catalog, "Small Night");
    large = await seedEvent(catalog, "Big Night", 40);
    ticketsReady = (await provision(stack, small)) && (await provision(stack, large));
  });
  after(async () => {
    await stack?.close();
  });

  it("serves an event page with event, venue, sections and performers in camelCase", async () => {
    const { status, res, body } = await getJson(`${stack.edgeUrl}/events/${small.eventId}`);
    expect(status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    const page = body as Json;
    expect(page.event).to.include({
      id: small.eventId,
      name: "Small Night",
      category: "concert",
      status: "ON_SALE",
    });
    expect(page.event.startsAt).to.match(/^\d{4}-\d{2}-\d{2}T/);
    expect(page.event).to.have.keys(
      "id",
      "name",
      "description",
      "category",
      "startsAt",
      "endsAt",
      "status",
      "venueId",
      "performerIds",
      "onSaleStartsAt",
      "onSaleEndsAt",
      "version",
    );
    expect(page.venue).to.include({
      id: small.venueId,
      name: "Small Night Hall",
      city: "Springfield",
      capacity: 9,
    });
    expect(page.venue.sections.map((s) => [s.name, s.kind, s.capacity])).to.deep.equal([
      ["Stalls", "SEATED", 6],
      ["Floor", "GENERAL_ADMISSION", 3],
    ]);
    expect(page.performers).to.deep.equal([
      { id: small.performerId, name: "Small Night Band", bio: "Loud." },
    ]);
    expect(page).not.to.have.property("ticketsUrl");
  });

  it("includes availability per section and every ticket with AVAILABLE, HELD and SOLD statuses", async function () {
    if (!ticketsReady) this.skip();
    const inventory = signedClient(InventoryService, stack.inventoryUrl);
    const { tickets } = await inventory.listTickets({
      eventId: small.eventId,
      sectionId: small.sectionIds[0] ?? "",
    });
    const [toHold, toSell] = tickets;
    await inventory.holdTickets({ eventId: small.eventId, ticketIds: [toHold?.id ?? ""] }, fan);
    await inventory.bookTickets(
      {
        eventId: small.eventId,
        ticketIds: [toSell?.id ?? ""],
        idempotencyKey: "view-test-1",
        payment: { cardNumber: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123", name: "Fan" },
      },
      fan,
    );
    await new Promise((r) => setTimeout(r, 1100)); // past the micro-cache window
    const page = (await getJson(`${stack.edgeUrl}/events/${small.eventId}`)).body as Json;
    expect(page.availability).to.deep.include({
      sectionId: small.sectionIds[0],
      available: 4,
      held: 1,
      sold: 1,
      minPriceCents: 5000,
      maxPriceCents: 5000,
    });
    expect(page.tickets).to.have.length(9);
    const byId = new Map(page.tickets?.map((t) => [t.id, t]));
    expect(byId.get(toHold?.id)).to.include({ status: "HELD", row: "A", priceCents: 5000 });
    expect(byId.get(toSell?.id)).to.include({ status: "SOLD" });
    expect(page.tickets?.[0]).to.have.keys("id", "sectionId", "row", "seat", "priceCents", "status");
    expect(new Set(page.tickets?.map((t) => t.status))).to.deep.equal(new Set(["AVAILABLE", "HELD", "SOLD"]));
  });

  it("leaves tickets out of large venues and points to per-section ticket lists", async function () {
    const page = (await getJson(`${stack.edgeUrl}/events/${large.eventId}`)).body as Json;
    expect(page).not.to.have.property("tickets");
    expect(page.ticketsUrl).to.equal(`/events/${large.eventId}/tickets?section={sectionId}`);
    if (!ticketsReady) this.skip();
    const floor = large.sectionIds[1] ?? "";
    const url = `${stack.edgeUrl}${String(page.ticketsUrl).replace("{sectionId}", floor)}`;
    const { status, body } = await getJson(url);
    expect(status).to.equal(200);
    const tickets = (body as { tickets: Record<string, unknown>[] }).tickets;
    expect(tickets).to.have.length(40);
    expect(tickets[0]).to.include({ sectionId: floor, row: "", status: "AVAILABLE", priceCents: 2500 });
  });

  it("answers section ticket errors: unknown section 404, missing or malformed section 400", async () => {
    const base = `${stack.edgeUrl}/events/${large.eventId}/tickets`;
    expect((await getJson(`${base}?section=${small.sectionIds[0]}`)).status).to.equal(404);
    expect((await getJson(base)).body).to.deep.equal({
      code: "invalid_argument",
      message: "section must be a UUID",
    });
    expect((await getJson(`${base}?section=12`)).status).to.equal(400);
    expect((await getJson(`${base}?section=${large.sectionIds[0]}&row=A`)).body).to.deep.equal({
      code: "invalid_argument",
      message: 'unknown query parameter "row"; expected section',
    });
  });

  it("answers 400 for malformed ids and 404 for unknown events, as {code, message}", async () => {
    const bad = await getJson(`${stack.edgeUrl}/events/not-a-uuid`);
    expect(bad.status).to.equal(400);
    expect(bad.body).to.deep.equal({ code: "invalid_argument", message: "eventId must be a UUID" });
    const unknown = await getJson(`${stack.edgeUrl}/events/7a0c5d3e-8f41-4b6a-9c2d-1e5f3a7b9c0d`);
    expect(unknown.status).to.equal(404);
    expect(unknown.body).to.have.property("code", "not_found");
    expect(unknown.res.headers.get("cache-control")).to.equal("no-store");
  });

  it("sends Cache-Control and ETag, and 304 Not Modified for a matching If-None-Match", async () => {
    const first = await fetch(`${stack.edgeUrl}/events/${small.eventId}`);
    const etag = first.headers.get("etag") ?? "";
    expect(first.headers.get("cache-control")).to.equal("public, max-age=1");
    expect(etag).to.match(/^"[\w-]+"$/);
    const again = await fetch(`${stack.edgeUrl}/events/${small.eventId}`, {
      headers: { "if-none-match": etag },
    });
    expect(again.status).to.equal(304);
    expect(await again.text()).to.equal("");
    expect(again.headers.get("etag")).to.equal(etag);
    const weak = await fetch(`${stack.edgeUrl}/events/${small.eventId}`, {
      headers: { "if-none-match": `"x", W/${etag}` },
    });
    expect(weak.status).to.equal(304);
    const other = await fetch(`${stack.edgeUrl}/events/${small.eventId}`, {
      headers: { "if-none-match": '"x"' },
    });
    expect(other.status).to.equal(200);
  });

  it("lists upcoming events by page with the total, and rejects bad paging", async () => {
    const { status, body } = await getJson(`${stack.edgeUrl}/events?page=1&pageSize=1`);
    expect(status).to.equal(200);
    expect(body).to.include({ page: 1, pageSize: 1, total: 2 });
    const events = (body as { events: Record<string, unknown>[] }).events;
    expect(events).to.have.length(1);
    expect(events[0]).to.have.property("status", "ON_SALE");
    const second = (await getJson(`${stack.edgeUrl}/events?page=2&pageSize=1`)).body as {
      events: { id: string }[];
    };
    expect(second.events[0]?.id).not.to.equal(events[0]?.id);
    const defaults = (await getJson(`${stack.edgeUrl}/events`)).body;
    expect(defaults).to.include({ page: 1, pageSize: 20 });
    for (const query of ["page=0", "pageSize=101", "page=x", "pageSize=1.5", "pagesize=5"]) {
      const res = await getJson(`${stack.edgeUrl}/events?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body).to.have.property("code", "invalid_argument");
    }
  });
});
