import { create } from "@bufbuild/protobuf";
import { expect } from "chai";
import {
  CreatePerformerRequestSchema,
  ExportEventsRequestSchema,
  ListChangesRequestSchema,
  UpdatePerformerRequestSchema,
  UpdateVenueRequestSchema,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { catalogChangesChannel, createRedis } from "#platform";
import { testRedisUrl } from "#platform/testing";
import { adminCtx, day, eventRequest, type Harness, startHarness, venueRequest } from "./fixtures.ts";

describe("catalog: change feed (outbox) and export", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness("catalog_feed");
  });
  after(async () => {
    await h?.close();
  });

  const changes = async (after = 0n, limit = 0) =>
    (await h.service.listChanges(create(ListChangesRequestSchema, { afterSequence: after, limit }))).changes;

  it("writes one change per affected event, in order, with the document after the change", async () => {
    const { venue } = await h.service.createVenue(
      venueRequest({ city: "Lyon", country: "FR", timezone: "Europe/Paris" }),
      adminCtx,
    );
    expect(await changes()).to.have.length(0); // a venue without events changes no document
    const { performer } = await h.service.createPerformer(
      create(CreatePerformerRequestSchema, { name: "Duo" }),
      adminCtx,
    );
    const ids: string[] = [];
    for (const name of ["One", "Two"]) {
      const req = eventRequest(venue?.id ?? "", new Date(Date.now() + day), {
        name,
        performerIds: [performer?.id ?? ""],
      });
      ids.push((await h.service.createEvent(req, adminCtx)).event?.id ?? "");
    }
    const first = await changes();
    expect(first.map((c) => c.eventId)).to.deep.equal(ids);
    expect(first[0]?.document?.city).to.equal("Lyon");
    expect(first[0]?.document?.timezone).to.equal("Europe/Paris");
    expect(first[0]?.document?.performerNames).to.deep.equal(["Duo"]);
    expect(first[1]?.document?.event?.name).to.equal("Two");
    const last = first[1]?.sequence ?? 0n;
    expect(last > (first[0]?.sequence ?? 0n)).to.equal(true);

    await h.service.updateVenue(
      create(UpdateVenueRequestSchema, {
        venueId: venue?.id ?? "",
        city: "Cayenne",
        timezone: "America/Cayenne",
      }),
      adminCtx,
    );
    const venueChanges = await changes(last);
    expect(venueChanges.map((c) => c.eventId).sort()).to.deep.equal([...ids].sort());
    expect(venueChanges.every((c) => c.document?.city === "Cayenne")).to.equal(true);
    expect(venueChanges.every((c) => c.document?.timezone === "America/Cayenne")).to.equal(true);

    await h.service.updatePerformer(
      create(UpdatePerformerRequestSchema, { performerId: performer?.id ?? "", name: "Trio" }),
      adminCtx,
    );
    const after = await changes(venueChanges.at(-1)?.sequence ?? 0n);
    expect(after).to.have.length(2);
    expect(after.every((c) => c.document?.performerNames[0] === "Trio")).to.equal(true);
    expect(await changes(0n, 1)).to.have.length(1);
  });

  it("announces committed changes on <prefix>catalog:changes", async () => {
    const sub = createRedis(testRedisUrl);
    try {
      const got = new Promise<string>((resolve) =>
        sub.on("message", (_channel, message) => resolve(message)),
      );
      await sub.subscribe(catalogChangesChannel(h.prefix));
      const { venue } = await h.service.createVenue(venueRequest(), adminCtx);
      await h.service.createEvent(eventRequest(venue?.id ?? "", new Date(Date.now() + day)), adminCtx);
      const sequence = BigInt(await got);
      const all = await changes(0n, 1000);
      expect(sequence).to.equal(all.at(-1)?.sequence);
    } finally {
      sub.disconnect();
    }
  });

  it("exports every event in id order with the feed position read before the page", async () => {
    const exportPage = (afterEventId: string, limit: number) =>
      h.service.exportEvents(create(ExportEventsRequestSchema, { afterEventId, limit }));
    const seen: string[] = [];
    let after = "";
    for (;;) {
      const page = await exportPage(after, 2);
      if (page.documents.length === 0) break;
      seen.push(...page.documents.map((d) => d.event?.id ?? ""));
      after = seen.at(-1) ?? "";
      expect(page.sequence).to.equal((await changes(0n, 1000)).at(-1)?.sequence);
    }
    expect(seen).to.deep.equal([...seen].sort());
    const count = await h.orm.em
      .fork()
      .execute<{ n: number }[]>("select count(*)::int as n from catalog.event");
    expect(seen).to.have.length(count[0]?.n ?? -1);
  });
});
