import { create } from "@bufbuild/protobuf";
import { expect } from "chai";
import { type Ticket, TicketSchema, TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { SeatChangeKind, SeatChangeSchema } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { SeatMapState } from "../src/availability/seat-map-state.ts";

const ticket = (id: string, sectionId: string, status = TicketStatus.AVAILABLE): Ticket =>
  create(TicketSchema, { id, sectionId, status });
const change = (kind: SeatChangeKind, ...ticketIds: string[]) =>
  create(SeatChangeSchema, { kind, ticketIds });

describe("live seat map state", () => {
  const load = () =>
    new SeatMapState([
      ticket("a1", "A"),
      ticket("a2", "A"),
      ticket("b1", "B", TicketStatus.HELD),
      ticket("b2", "B"),
    ]);

  it("counts per section and moves counts with each status change, once", () => {
    const state = load();
    expect(state.counts().map((c) => [c.sectionId, c.available, c.held, c.sold])).to.deep.equal([
      ["A", 2, 0, 0],
      ["B", 1, 1, 0],
    ]);
    expect(state.apply(change(SeatChangeKind.HELD, "a1", "b1"))).to.deep.equal([
      { ticketId: "a1", sectionId: "A", status: TicketStatus.HELD },
    ]); // b1 was already held: a change the loaded list reflects moves nothing
    expect(state.apply(change(SeatChangeKind.HELD, "a1"))).to.deep.equal([]);
    expect(state.apply(change(SeatChangeKind.EXPIRED, "b1"))?.map((m) => m.status)).to.deep.equal([
      TicketStatus.AVAILABLE,
    ]);
    expect(state.counts(["A", "B"]).map((c) => [c.available, c.held])).to.deep.equal([
      [1, 1],
      [2, 0],
    ]);
  });

  it("treats SOLD as final: a late release does not bring a sold seat back", () => {
    const state = load();
    state.apply(change(SeatChangeKind.SOLD, "a2"));
    expect(state.apply(change(SeatChangeKind.RELEASED, "a2"))).to.deep.equal([]);
    expect(state.seats("A").find((t) => t.id === "a2")?.status).to.equal(TicketStatus.SOLD);
    expect(state.counts(["A"])[0]).to.include({ available: 1, sold: 1 });
  });

  it("asks for a reload on a ticket it never loaded, and diffs a reload into moves", () => {
    const state = load();
    expect(state.apply(change(SeatChangeKind.HELD, "zz"))).to.equal(undefined);
    const fresh = new SeatMapState([
      ticket("a1", "A", TicketStatus.SOLD),
      ticket("a2", "A"),
      ticket("b1", "B", TicketStatus.HELD),
      ticket("b2", "B"),
    ]);
    expect(state.diffTo(fresh)).to.deep.equal([
      { ticketId: "a1", sectionId: "A", status: TicketStatus.SOLD },
    ]);
    expect(state.counts(["A"])[0]).to.include({ available: 1, sold: 1 });
    expect(state.diffTo(new SeatMapState([ticket("a1", "A")]))).to.equal(undefined);
  });
});
