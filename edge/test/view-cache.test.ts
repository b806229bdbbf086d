import { type Client, Code, type Interceptor } from "@connectrpc/connect";
import { expect } from "chai";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { serviceClient } from "#platform";
import { callCounter, connectErrorOf } from "#platform/testing";
import { buildEdge } from "../src/app.ts";
import { type EdgeClients, edgeDeps } from "../src/deps.ts";
import { startTestStack, type TestStack } from "./stack.ts";
import { edgeClient, getJson, provision, type SeededEvent, seedEvent } from "./view-fixtures.ts";

describe("edge: view caching, coalescing and degradation", () => {
  let stack: TestStack;
  let seeded: SeededEvent;
  let catalog: Client<typeof CatalogService>;
  before(async () => {
    stack = await startTestStack("edge_view_cache");
    catalog = await edgeClient(CatalogService, stack, "admin@example.com");
    seeded = await seedEvent(catalog, "Cache Night");
    await provision(stack, seeded);
  });
  after(async () => {
    await stack?.close();
  });

  /** An extra edge over the same backends with some dependencies replaced. */
  async function edgeWith(overrides: Partial<EdgeClients>) {
    const app = await buildEdge(edgeDeps({ ...stack.edge.deps, ...overrides }));
    await app.ready();
    return app;
  }

  it("shows an admin update through the edge within the micro-cache window", async () => {
    const url = `${stack.edgeUrl}/events/${seeded.eventId}`;
    expect(((await getJson(url)).body as { event: { name: string } }).event.name).to.equal("Cache Night");
    await catalog.updateEvent({ eventId: seeded.eventId, name: "Cache Night (moved)" });
    await catalog.updateVenue({ venueId: seeded.venueId, name: "New Hall" });
    await catalog.updatePerformer({ performerId: seeded.performerId, bio: "Louder." });
    await new Promise((r) => setTimeout(r, 1050));
    const page = (await getJson(url)).body as {
      event: { name: string; version: number };
      venue: { name: string };
      performers: { bio: string }[];
    };
    expect(page.event).to.include({ name: "Cache Night (moved)", version: 2 });
    expect(page.venue.name).to.equal("New Hall");
    expect(page.performers[0]?.bio).to.equal("Louder.");
  });

  it("lets only admins write through the edge", async () => {
    const asFan = await edgeClient(CatalogService, stack, "fan@example.com");
    const denied = await connectErrorOf(asFan.updateEvent({ eventId: seeded.eventId, name: "hacked" }));
    expect(denied.code).to.equal(Code.PermissionDenied);
    const res = await fetch(`${stack.edgeUrl}/ticketing.catalog.v1.CatalogService/UpdateEvent`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ eventId: seeded.eventId, name: "anon" }),
    });
    expect(res.status).to.equal(401);
    // The change feed is internal: not served through the edge.
    const feed = await connectErrorOf(asFan.listChanges({}));
    expect(feed.code).to.equal(Code.Unimplemented);
  });

  it("coalesces 10,000 concurrent requests for a cold event into at most 3 Catalog calls", async () => {
    const counter = callCounter("GetEvent");
    const app = await edgeWith({
      catalog: serviceClient(CatalogService, stack.catalogUrl, [counter.interceptor]),
    });
    try {
      const responses = await Promise.all(
        Array.from({ length: 10_000 }, () => app.inject({ method: "GET", url: `/events/${seeded.eventId}` })),
      );
      expect(responses.every((r) => r.statusCode === 200)).to.equal(true);
      expect(new Set(responses.map((r) => r.headers.etag)).size).to.equal(1);
      expect(counter.calls).to.be.within(1, 3);
    } finally {
      await app.close();
    }
  });

  it("coalesces a burst for an unknown event too, and answers 404", async () => {
    const counter = callCounter();
    const app = await edgeWith({
      catalog: serviceClient(CatalogService, stack.catalogUrl, [counter.interceptor]),
    });
    try {
      const url = "/events/0d7e1b1a-5c44-4d3c-9d0e-5b7f0e6a2c11";
      const responses = await Promise.all(
        Array.from({ length: 1000 }, () => app.inject({ method: "GET", url })),
      );
      expect(responses.every((r) => r.statusCode === 404)).to.equal(true);
      expect(counter.calls).to.equal(1);
    } finally {
      await app.close();
    }
  });

  it("serves the page without availability when inventory is down, never a 500", async () => {
    const app = await edgeWith({ inventory: serviceClient(InventoryService, "http://127.0.0.1:1") });
    try {
      const res = await app.inject({ method: "GET", url: `/events/${seeded.eventId}` });
      expect(res.statusCode).to.equal(200);
      const page = res.json() as Record<string, unknown>;
      expect(page).to.have.property("event");
      expect(page).not.to.have.property("availability");
      expect(page.unavailable).to.deep.equal(["availability", "tickets"]);
      expect(res.headers["cache-control"]).to.equal("no-cache");
      const tickets = await app.inject({
        method: "GET",
        url: `/events/${seeded.eventId}/tickets?section=${seeded.sectionIds[0]}`,
      });
      expect(tickets.statusCode).to.equal(503);
    } finally {
      await app.close();
    }
  });

  it("answers 503, not 500, when the catalog is down", async () => {
    const app = await edgeWith({ catalog: serviceClient(CatalogService, "http://127.0.0.1:1") });
    try {
      const res = await app.inject({ method: "GET", url: `/events/${seeded.eventId}` });
      expect(res.statusCode).to.equal(503);
      expect(res.json()).to.have.property("code", "unavailable");
    } finally {
      await app.close();
    }
  });

  it("turns the micro-cache off with EDGE_MICROCACHE_MS=0: every request reaches the catalog", async () => {
    const counter = callCounter();
    const config = { ...stack.edge.deps.config, EDGE_MICROCACHE_MS: 0 };
    const app = await edgeWith({
      config,
      catalog: serviceClient(CatalogService, stack.catalogUrl, [counter.interceptor]),
    });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({ method: "GET", url: `/events/${seeded.eventId}` });
        expect(res.headers["cache-control"]).to.equal("no-cache");
        expect(res.headers.etag).to.be.a("string");
      }
      expect(counter.calls).to.equal(3);
    } finally {
      await app.close();
    }
  });

  it("coalesces concurrent page loads with EDGE_MICROCACHE_MS=0 unless EDGE_COALESCE=false", async () => {
    const burst = async (coalesce: boolean) => {
      const counter = callCounter("GetEvent");
      const config = { ...stack.edge.deps.config, EDGE_MICROCACHE_MS: 0, EDGE_COALESCE: coalesce };
      const app = await edgeWith({
        config,
        catalog: serviceClient(CatalogService, stack.catalogUrl, [counter.interceptor]),
      });
      try {
        const responses = await Promise.all(
          Array.from({ length: 50 }, () => app.inject({ method: "GET", url: `/events/${seeded.eventId}` })),
        );
        expect(responses.every((r) => r.statusCode === 200)).to.equal(true);
        expect(responses.every((r) => r.headers["cache-control"] === "no-cache")).to.equal(true);
        const first = counter.calls;
        // Nothing is kept once the shared load settled: the next request reads again.
        await app.inject({ method: "GET", url: `/events/${seeded.eventId}` });
        expect(counter.calls).to.equal(first + 1);
        return first;
      } finally {
        await app.close();
      }
    };
    expect(await burst(true)).to.be.within(1, 3);
    expect(await burst(false)).to.equal(50);
  });

  it("asks the catalog for no seat rows for the REST page; the Connect page keeps them", async () => {
    const omitted: boolean[] = [];
    const spy: Interceptor = (next) => (req) => {
      if (req.method.name === "GetEvent")
        omitted.push((req.message as unknown as { omitSeatRows: boolean }).omitSeatRows);
      return next(req);
    };
    const app = await edgeWith({ catalog: serviceClient(CatalogService, stack.catalogUrl, [spy]) });
    try {
      const res = await app.inject({ method: "GET", url: `/events/${seeded.eventId}` });
      expect(res.statusCode).to.equal(200);
      expect(omitted).to.deep.equal([true]);
    } finally {
      await app.close();
    }
    const message = encodeURIComponent(JSON.stringify({ eventId: seeded.eventId }));
    const { body } = await getJson(
      `${stack.edgeUrl}/ticketing.api.v1.TicketingService/GetEventPage?connect=v1&encoding=json&message=${message}`,
    );
    const sections = (body as { venue: { sections: { rows?: unknown[] }[] } }).venue.sections;
    expect(sections[0]?.rows).to.have.length(2);
  });

  it("serves the same view through the Connect API as a cacheable HTTP GET", async () => {
    const message = encodeURIComponent(JSON.stringify({ eventId: seeded.eventId }));
    const url = `${stack.edgeUrl}/ticketing.api.v1.TicketingService/GetEventPage?connect=v1&encoding=json&message=${message}`;
    const { status, res, body } = await getJson(url);
    expect(status).to.equal(200);
    expect(res.headers.get("cache-control")).to.equal("public, max-age=1");
    expect(body).to.have.nested.property("event.id", seeded.eventId);
    expect((body as { venue: { sections: unknown[] } }).venue.sections).to.have.length(2);
    const sectionMessage = encodeURIComponent(
      JSON.stringify({ eventId: seeded.eventId, sectionId: seeded.sectionIds[1] }),
    );
    const tickets = await getJson(
      `${stack.edgeUrl}/ticketing.api.v1.TicketingService/ListSectionTickets?connect=v1&encoding=json&message=${sectionMessage}`,
    );
    expect(tickets.status).to.equal(200);
    const list = await getJson(
      `${stack.edgeUrl}/ticketing.api.v1.TicketingService/ListEvents?connect=v1&encoding=json&message=${encodeURIComponent("{}")}`,
    );
    expect(list.body).to.include({ page: 1, pageSize: 20 });
    const bad = await getJson(
      `${stack.edgeUrl}/ticketing.api.v1.TicketingService/GetEventPage?connect=v1&encoding=json&message=${encodeURIComponent('{"eventId":"x"}')}`,
    );
    expect(bad.status).to.equal(400);
  });
});
