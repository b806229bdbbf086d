import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import {
  CreatePerformerRequestSchema,
  EventStatus,
  GetEventRequestSchema,
  ListEventsRequestSchema,
  PerformerIdsSchema,
  SectionKind,
  UpdateEventRequestSchema,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { connectErrorOf } from "#platform/testing";
import { adminCtx, day, eventRequest, type Harness, startHarness, venueRequest } from "./fixtures.ts";

describe("catalog: reads and admin writes", () => {
  let h: Harness;
  const now = new Date("2030-01-01T12:00:00Z");
  // Moved back only to create an event that has since started.
  let clock = now;
  before(async () => {
    h = await startHarness("catalog_service", { clock: () => clock });
  });
  after(async () => {
    await h?.close();
  });

  const get = (eventId: string) => h.service.getEvent(create(GetEventRequestSchema, { eventId }));
  const performer = async (name: string) =>
    (
      await h.service.createPerformer(
        create(CreatePerformerRequestSchema, { name, bio: `${name} bio` }),
        adminCtx,
      )
    ).performer;

  it("creates a venue whose capacity is the sum of its sections, in seat-map order", async () => {
    const { venue } = await h.service.createVenue(venueRequest(), adminCtx);
    expect(venue?.capacity).to.equal(9);
    expect(venue?.sections.map((s) => [s.name, s.kind, s.capacity, s.rows.length])).to.deep.equal([
      ["Floor", SectionKind.SEATED, 5, 2],
      ["Standing", SectionKind.GENERAL_ADMISSION, 4, 0],
    ]);
    const again = await h.service.getVenue({ venueId: venue?.id ?? "" } as never);
    expect(again.venue?.sections[0]?.rows).to.have.length(2);
  });

  it("rejects inconsistent seat maps and times with InvalidArgument", async () => {
    const noRows = venueRequest({
      sections: [{ name: "X", kind: SectionKind.SEATED, rows: [], capacity: 0 } as never],
    });
    expect((await connectErrorOf(h.service.createVenue(noRows, adminCtx))).code).to.equal(
      Code.InvalidArgument,
    );
    const { venue } = await h.service.createVenue(venueRequest(), adminCtx);
    const backwards = eventRequest(venue?.id ?? "", new Date(now.getTime() + day), {
      endsAt: timestampFromDate(now),
    });
    expect((await connectErrorOf(h.service.createEvent(backwards, adminCtx))).code).to.equal(
      Code.InvalidArgument,
    );
  });

  it("refuses to create an event that starts in the past, or to move one there", async () => {
    const { venue } = await h.service.createVenue(venueRequest(), adminCtx);
    for (const startsAt of [new Date(now.getTime() - day), now]) {
      const err = await connectErrorOf(
        h.service.createEvent(eventRequest(venue?.id ?? "", startsAt), adminCtx),
      );
      expect([err.code, err.rawMessage]).to.deep.equal([
        Code.InvalidArgument,
        "startsAt: must be greater than now",
      ]);
    }
    const { event } = await h.service.createEvent(
      eventRequest(venue?.id ?? "", new Date(now.getTime() + day)),
      adminCtx,
    );
    const backdated = create(UpdateEventRequestSchema, {
      eventId: event?.id ?? "",
      startsAt: timestampFromDate(new Date(now.getTime() - 2 * day)),
      endsAt: timestampFromDate(new Date(now.getTime() - day)),
    });
    const err = await connectErrorOf(h.service.updateEvent(backdated, adminCtx));
    expect([err.code, err.rawMessage]).to.deep.equal([
      Code.InvalidArgument,
      "startsAt: must be greater than now",
    ]);
    expect((await get(event?.id ?? "")).event?.version).to.equal(1);
    // Other changes to an event stay possible once it has started.
    clock = new Date(now.getTime() + 2 * day);
    try {
      const renamed = create(UpdateEventRequestSchema, { eventId: event?.id ?? "", name: "Encore" });
      expect((await h.service.updateEvent(renamed, adminCtx)).event?.name).to.equal("Encore");
    } finally {
      clock = now;
    }
  });

  it("returns an event with its venue and performers in billing order", async () => {
    const { venue } = await h.service.createVenue(venueRequest(), adminCtx);
    const a = await performer("Opener");
    const b = await performer("Headliner");
    const startsAt = new Date(now.getTime() + 10 * day);
    const { event } = await h.service.createEvent(
      eventRequest(venue?.id ?? "", startsAt, { performerIds: [b?.id ?? "", a?.id ?? ""] }),
      adminCtx,
    );
    expect(event?.status).to.equal(EventStatus.SCHEDULED);
    expect(event?.version).to.equal(1);
    const page = await get(event?.id ?? "");
    expect(page.event?.name).to.equal("Neon Wolves live");
    expect(timestampDate(page.event?.startsAt ?? timestampFromDate(now)).toISOString()).to.equal(
      startsAt.toISOString(),
    );
    // Unset on-sale bounds resolve to "now" and "the start of the event".
    expect(timestampDate(page.event?.onSaleStartsAt ?? timestampFromDate(new Date(0))).getTime()).to.equal(
      now.getTime(),
    );
    expect(page.venue?.id).to.equal(venue?.id);
    expect(page.venue?.sections).to.have.length(2);
    expect(page.performers.map((p) => p.name)).to.deep.equal(["Headliner", "Opener"]);
    expect(page.event?.performerIds).to.deep.equal([b?.id, a?.id]);
  });

  it("leaves the seat rows out of GetEvent when asked (omit_seat_rows), keeping every section", async () => {
    const { venue } = await h.service.createVenue(venueRequest(), adminCtx);
    const { event } = await h.service.createEvent(
      eventRequest(venue?.id ?? "", new Date(now.getTime() + 11 * day)),
      adminCtx,
    );
    const eventId = event?.id ?? "";
    const full = await get(eventId);
    const slim = await h.service.getEvent(create(GetEventRequestSchema, { eventId, omitSeatRows: true }));
    expect(full.venue?.sections.some((s) => s.rows.length > 0)).to.equal(true);
    expect(slim.venue?.sections.every((s) => s.rows.length === 0)).to.equal(true);
    const strip = (v: typeof full.venue) =>
      v?.sections.map((s) => ({ id: s.id, name: s.name, kind: s.kind, capacity: s.capacity }));
    expect(strip(slim.venue)).to.deep.equal(strip(full.venue));
    expect(slim.venue?.capacity).to.equal(full.venue?.capacity);
    expect(slim.event?.id).to.equal(eventId);
    expect(slim.performers).to.deep.equal(full.performers);
  });

  it("answers NotFound for unknown events, venues, performers", async () => {
    const unknown = "6f1c8a52-6d7e-4a39-9a43-3f1e7f0b9c11";
    expect((await connectErrorOf(get(unknown))).code).to.equal(Code.NotFound);
    expect((await connectErrorOf(h.service.getVenue({ venueId: unknown } as never))).code).to.equal(
      Code.NotFound,
    );
    const update = create(UpdateEventRequestSchema, { eventId: unknown, name: "x" });
    expect((await connectErrorOf(h.service.updateEvent(update, adminCtx))).code).to.equal(Code.NotFound);
    const { venue } = await h.service.createVenue(venueRequest(), adminCtx);
    const withGhost = eventRequest(venue?.id ?? "", new Date(now.getTime() + day), {
      performerIds: [unknown],
    });
    expect((await connectErrorOf(h.service.createEvent(withGhost, adminCtx))).code).to.equal(Code.NotFound);
  });

  it("updates an event: fields, status and performers, bumping its version", async () => {
    const { venue } = await h.service.createVenue(venueRequest(), adminCtx);
    const p = await performer("Solo");
    const { event } = await h.service.createEvent(
      eventRequest(venue?.id ?? "", new Date(now.getTime() + 5 * day)),
      adminCtx,
    );
    const { event: updated } = await h.service.updateEvent(
      create(UpdateEventRequestSchema, {
        eventId: event?.id ?? "",
        name: "Renamed",
        status: EventStatus.ON_SALE,
        performerIds: create(PerformerIdsSchema, { ids: [p?.id ?? ""] }),
      }),
      adminCtx,
    );
    expect(updated?.name).to.equal("Renamed");
    expect(updated?.status).to.equal(EventStatus.ON_SALE);
    expect(updated?.version).to.equal(2);
    expect((await get(event?.id ?? "")).performers.map((x) => x.name)).to.deep.equal(["Solo"]);
  });

  it("lists upcoming events by start time, paged, with the total, leaving out cancelled ones", async () => {
    const { venue } = await h.service.createVenue(venueRequest(), adminCtx);
    const before = (await h.service.listEvents(create(ListEventsRequestSchema, {}))).total;
    const past = eventRequest(venue?.id ?? "", new Date(now.getTime() - 2 * day), { name: "Past" });
    clock = new Date(now.getTime() - 3 * day);
    await h.service.createEvent(past, adminCtx).finally(() => {
      clock = now;
    });
    const called = eventRequest(venue?.id ?? "", new Date(now.getTime() + 150 * day), { name: "Called off" });
    const { event: calledOff } = await h.service.createEvent(called, adminCtx);
    await h.service.updateEvent(
      create(UpdateEventRequestSchema, { eventId: calledOff?.id ?? "", status: EventStatus.CANCELLED }),
      adminCtx,
    );
    for (const [name, days] of [
      ["Third", 300],
      ["First", 100],
      ["Second", 200],
    ] as const) {
      await h.service.createEvent(
        eventRequest(venue?.id ?? "", new Date(now.getTime() + days * day), { name }),
        adminCtx,
      );
    }
    const all = await h.service.listEvents(create(ListEventsRequestSchema, { pageSize: 100 }));
    expect(all.total).to.equal(before + 3n);
    expect(all.events.map((e) => e.name).slice(-3)).to.deep.equal(["First", "Second", "Third"]);
    expect(all.events.map((e) => e.name)).not.to.include("Past");
    expect(all.events.map((e) => e.name)).not.to.include("Called off");
    const lastPage = await h.service.listEvents(
      create(ListEventsRequestSchema, { pageSize: 1, page: Number(all.total) }),
    );
    expect(lastPage.events.map((e) => e.name)).to.deep.equal(["Third"]);
    expect([lastPage.page, lastPage.pageSize]).to.deep.equal([Number(all.total), 1]);
    const defaults = await h.service.listEvents(create(ListEventsRequestSchema, {}));
    expect([defaults.page, defaults.pageSize]).to.deep.equal([1, 20]);
  });
});
