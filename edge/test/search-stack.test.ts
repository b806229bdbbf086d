// Search through the whole system: catalog writes reach the index through the outbox, ListChanges
// and the pub/sub wake-up, and are searchable at the edge within 2 s.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { expect } from "chai";
import { CatalogService, SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { asCaller } from "#platform";
import { signedClient } from "#platform/testing";
import { startTestStack, type TestStack } from "./stack.ts";

const admin = asCaller({ userId: "00000000-0000-4000-8000-000000000001", role: "admin" });

describe("search through the stack: catalog change → searchable at the edge", () => {
  let stack: TestStack;
  before(async () => {
    // Without the edge micro-cache, each poll below sees the index as it is.
    stack = await startTestStack("search_stack", { EDGE_MICROCACHE_MS: "0" });
  });
  after(async () => {
    await stack?.close();
  });

  const names = async (keyword: string) => {
    const res = await fetch(`${stack.edgeUrl}/events/search?keyword=${encodeURIComponent(keyword)}`);
    expect(res.status).to.equal(200);
    return ((await res.json()) as { events: { name: string }[] }).events.map((e) => e.name);
  };
  const within = async (ms: number, check: () => Promise<boolean>) => {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > ms) throw new Error(`not searchable within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return Date.now() - started;
  };

  it("indexes created and updated events within 2 s", async () => {
    const catalog = signedClient(CatalogService, stack.catalogUrl);
    const { venue } = await catalog.createVenue(
      {
        name: "Harbor Pavilion",
        address: "1 Pier",
        city: "Lisbon",
        country: "PT",
        timezone: "Europe/Lisbon",
        sections: [{ name: "Floor", kind: SectionKind.GENERAL_ADMISSION, capacity: 100 }],
      },
      admin,
    );
    const { performer } = await catalog.createPerformer({ name: "Quiet Lanterns", genre: "indie" }, admin);
    const startsAt = new Date(Date.now() + 30 * 86_400_000);
    const { event } = await catalog.createEvent(
      {
        name: "Quiet Lanterns — Harbor Nights",
        description: "An evening by the water.",
        category: "concert",
        startsAt: timestampFromDate(startsAt),
        endsAt: timestampFromDate(new Date(startsAt.getTime() + 3 * 3_600_000)),
        venueId: venue?.id ?? "",
        performerIds: [performer?.id ?? ""],
      },
      admin,
    );
    await within(2000, async () => (await names("quiet lantrens")).length === 1);
    expect(await names("harbor pavilion lisbon")).to.deep.equal(["Quiet Lanterns — Harbor Nights"]);

    await catalog.updateEvent({ eventId: event?.id ?? "", name: "Quiet Lanterns — Farewell" }, admin);
    await within(2000, async () => (await names("quiet lanterns farewell")).length === 1);
    expect(await names("harbor nights")).to.deep.equal([]);
  });
});
