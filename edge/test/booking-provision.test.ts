import { randomUUID } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type CallOptions, type Client, Code } from "@connectrpc/connect";
import { expect } from "chai";
import {
  CatalogService,
  EventStatus,
  type SectionInputSchema,
  SectionKind,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { asCaller } from "#platform";
import { connectErrorOf, signedClient } from "#platform/testing";
import { eventRequest, venueRequest } from "../../services/catalog/test/fixtures.ts";
import { startTestStack, type TestStack } from "./stack.ts";
import { edgeClient, getJson } from "./view-fixtures.ts";

/** A venue with these sections (the catalog tests' seat map by default) and an event on sale there. */
async function venueWithEvent(
  catalog: Client<typeof CatalogService>,
  sections?: MessageInitShape<typeof SectionInputSchema>[],
  options: CallOptions = {},
) {
  const { venue } = await catalog.createVenue(venueRequest(sections ? { sections } : {}), options);
  const starts = new Date(Date.now() + 86_400_000);
  const { event } = await catalog.createEvent(
    eventRequest(venue?.id as string, starts, { status: EventStatus.ON_SALE }),
    options,
  );
  if (!venue || !event) throw new Error("the catalog created no venue or event");
  return { venue, eventId: event.id };
}

describe("inventory: ProvisionTickets from the catalog's seat map", function () {
  this.timeout(60_000);
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack("booking_provision");
  });
  after(async () => {
    await stack?.close();
  });

  it("creates one ticket per seat and GA place, priced per section, once per event; admin only", async () => {
    const admin = asCaller({ userId: randomUUID(), role: "admin" });
    const catalog = signedClient(CatalogService, stack.catalogUrl);
    const inventory = signedClient(InventoryService, stack.inventoryUrl);
    const { venue, eventId } = await venueWithEvent(catalog, undefined, admin);
    const [stalls, standing] = venue.sections;
    const priceTiers = [
      { sectionId: stalls?.id as string, priceCents: 7500n },
      { sectionId: standing?.id as string, priceCents: 3000n },
    ];
    const first = await inventory.provisionTickets({ eventId, priceTiers, currency: "EUR" }, admin);
    expect(first).to.include({ created: 9, total: 9 });
    const again = await inventory.provisionTickets({ eventId, priceTiers, currency: "EUR" }, admin);
    expect(again).to.include({ created: 0, total: 9 });
    // Other prices are refused, not a silent 200: tickets may be held or sold at the stored ones.
    const repriced = await connectErrorOf(
      inventory.provisionTickets(
        {
          eventId,
          priceTiers: [{ ...priceTiers[0], priceCents: 9900n }, priceTiers[1]],
          currency: "EUR",
        } as never,
        admin,
      ),
    );
    expect(repriced.code).to.equal(Code.FailedPrecondition);
    expect(repriced.rawMessage).to.match(/already provisioned at other prices \(.+ at 7500 EUR\)/);

    const { sections } = await inventory.getAvailability({ eventId });
    const byId = Object.fromEntries(sections.map((s) => [s.sectionId, s]));
    expect(byId[stalls?.id as string]).to.include({ available: 5, minPriceCents: 7500n });
    expect(byId[standing?.id as string]).to.include({ available: 4, maxPriceCents: 3000n });

    const user = asCaller({ userId: randomUUID(), role: "user" });
    const denied = await connectErrorOf(
      inventory.provisionTickets({ eventId, priceTiers, currency: "EUR" }, user),
    );
    expect(denied.code).to.equal(Code.PermissionDenied);
    const partial = await connectErrorOf(
      inventory.provisionTickets({ eventId, priceTiers: priceTiers.slice(0, 1), currency: "EUR" }, admin),
    );
    expect(partial.code).to.equal(Code.InvalidArgument);
    const unknown = await connectErrorOf(
      inventory.provisionTickets({ eventId: randomUUID(), priceTiers, currency: "EUR" }, admin),
    );
    expect(unknown.code).to.equal(Code.NotFound);
  });
  it("puts an event on sale through the edge: admins only, buyer RPCs stay internal", async () => {
    const catalog = await edgeClient(CatalogService, stack, "admin@example.com");
    const asAdmin = await edgeClient(InventoryService, stack, "admin@example.com");
    const asFan = await edgeClient(InventoryService, stack, "fan@example.com");
    const { venue, eventId } = await venueWithEvent(catalog, [
      { name: "Floor", kind: SectionKind.GENERAL_ADMISSION, capacity: 6 },
    ]);
    const priceTiers = [{ sectionId: venue.sections[0]?.id as string, priceCents: 4200n }];

    const denied = await connectErrorOf(asFan.provisionTickets({ eventId, priceTiers, currency: "USD" }));
    expect(denied.code).to.equal(Code.PermissionDenied);
    const anonymous = await fetch(
      `${stack.edgeUrl}/ticketing.inventory.v1.InventoryService/ProvisionTickets`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          eventId,
          priceTiers: [{ sectionId: priceTiers[0]?.sectionId, priceCents: "4200" }],
          currency: "USD",
        }),
      },
    );
    expect(anonymous.status).to.equal(401);
    const invalid = await connectErrorOf(asAdmin.provisionTickets({ eventId, priceTiers, currency: "usd" }));
    expect(invalid.code).to.equal(Code.InvalidArgument);

    expect(await asAdmin.provisionTickets({ eventId, priceTiers, currency: "USD" })).to.include({
      created: 6,
      total: 6,
    });
    const page = await getJson(`${stack.edgeUrl}/events/${eventId}`);
    const tickets = (page.body as { tickets: { priceCents: number; status: string }[] }).tickets;
    expect(tickets).to.have.length(6);
    expect(tickets[0]).to.include({ priceCents: 4200, status: "AVAILABLE" });

    // Holds and bookings go through the public API, never the inventory's own service.
    const internal = await connectErrorOf(asAdmin.holdTickets({ eventId, ticketIds: [randomUUID()] }));
    expect(internal.code).to.equal(Code.Unimplemented);
  });
});
