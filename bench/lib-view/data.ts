// The benchmark's hot event: an arena of 20,000 seats (so the page carries availability per
// section and points to per-section ticket lists, as a real onsale page does), on sale, with its
// tickets provisioned in inventory and a few held so availability is not trivial.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { CatalogService, EventStatus, SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { asCaller } from "#platform";
import { signedClient } from "#platform/testing";

const admin = asCaller({ userId: "00000000-0000-4000-8000-0000000000be", role: "admin" });

export interface BenchEvent {
  eventId: string;
  capacity: number;
  sections: number;
}

export async function seedHotEvent(catalogUrl: string, inventoryUrl: string): Promise<BenchEvent> {
  const catalog = signedClient(CatalogService, catalogUrl);
  const inventory = signedClient(InventoryService, inventoryUrl);
  const rows = Array.from({ length: 40 }, (_, i) => ({ label: String(i + 1), seatCount: 25 }));
  const { venue } = await catalog.createVenue(
    {
      name: "Benchmark Arena",
      address: "1 Load Street",
      city: "Springfield",
      country: "US",
      timezone: "America/Chicago",
      sections: Array.from({ length: 20 }, (_, i) => ({
        name: `Section ${101 + i}`,
        kind: SectionKind.SEATED,
        rows,
      })),
    },
    admin,
  );
  const { performer } = await catalog.createPerformer(
    { name: "The Benchmarks", bio: "They play fast.", genre: "rock" },
    admin,
  );
  const startsAt = new Date(Date.now() + 60 * 86_400_000);
  const { event } = await catalog.createEvent(
    {
      name: "The Benchmarks — Onsale Night",
      description: "Ten million fans, one page.",
      category: "concert",
      startsAt: timestampFromDate(startsAt),
      endsAt: timestampFromDate(new Date(startsAt.getTime() + 3 * 3_600_000)),
      venueId: venue?.id ?? "",
      performerIds: [performer?.id ?? ""],
      status: EventStatus.ON_SALE,
    },
    admin,
  );
  const eventId = event?.id ?? "";
  const sections = venue?.sections ?? [];
  await inventory.provisionTickets(
    {
      eventId,
      currency: "USD",
      priceTiers: sections.map((s, i) => ({ sectionId: s.id, priceCents: BigInt(5000 + 500 * (i % 5)) })),
    },
    admin,
  );
  const fan = asCaller({ userId: "00000000-0000-4000-8000-0000000000f0", role: "user" });
  const { tickets } = await inventory.listTickets({ eventId, sectionId: sections[0]?.id ?? "" });
  await inventory.holdTickets({ eventId, ticketIds: tickets.slice(0, 4).map((t) => t.id) }, fan);
  return { eventId, capacity: venue?.capacity ?? 0, sections: sections.length };
}
