import { randomUUID } from "node:crypto";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { TakenTicketsSchema } from "#gen/ticketing/inventory/v1/taken_tickets_pb.js";
import { reasonError, reasonOf } from "#platform";
import { connectErrorOf } from "#platform/testing";
import { buildEdge } from "../src/app.ts";
import { SeatGuard } from "../src/booking/seat-guard.ts";
import { SeatChannel } from "../src/cache/seat-channel.ts";
import { type EdgeDeps, edgeDeps } from "../src/deps.ts";
import { login, seedTickets, startTestStack, type TestStack } from "./stack.ts";

const card = { cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123", name: "Ada" };

const taken = (ids: Record<string, string | null>) => {
  const tickets = Object.entries(ids).map(([ticketId, owner]) => ({ ticketId, owner: owner ?? "" }));
  return reasonError("one of these seats is already sold", Code.FailedPrecondition, "SEAT_TAKEN", [
    { desc: TakenTicketsSchema, value: { tickets } },
  ]);
};

describe("edge: seat refusal cache (unit)", () => {
  let now = 1_000;
  const refusals = () => new SeatGuard(500, 100, () => now);
  const asHold = { userId: "b", booking: false };
  const asBooking = (userId: string) => ({ userId, booking: true });

  it("refuses a learned seat within the window with the same 409 reason, and forgets it after", () => {
    const cache = refusals();
    cache.learn(taken({ t1: "a" }), ["t1", "t2"]);
    let err: unknown;
    try {
      cache.check(["t2", "t1"], asHold);
    } catch (e) {
      err = e;
    }
    expect(reasonOf(err as never)).to.equal("SEAT_TAKEN");
    expect(() => cache.check(["t2"], asHold)).not.to.throw(); // only the named seat
    now += 501;
    expect(() => cache.check(["t1"], asHold)).not.to.throw();
    expect(cache.size).to.equal(0);
  });

  it("lets the owner's bookings (idempotent replays) and anonymous refusals through for bookings", () => {
    const cache = refusals();
    cache.learn(taken({ t1: "a", t2: null }), ["t1", "t2"]);
    expect(() => cache.check(["t1"], asBooking("b"))).to.throw();
    expect(() => cache.check(["t1"], asBooking("a"))).not.to.throw();
    expect(() => cache.check(["t2"], asBooking("b"))).not.to.throw();
    expect(() => cache.check(["t2"], asHold)).to.throw();
  });

  it("learns a one-ticket refusal without a trailer, ignores other errors, is off at 0, forgets released holds", () => {
    const cache = refusals();
    cache.learn(reasonError("held", Code.FailedPrecondition, "SEAT_TAKEN"), ["t3"]);
    expect(() => cache.check(["t3"], asHold)).to.throw();
    cache.learn(reasonError("lost", Code.FailedPrecondition, "HOLD_LOST"), ["t4"]);
    expect(() => cache.check(["t4"], asHold)).not.to.throw();
    cache.refusals.granted("h1", ["t3"]);
    cache.refusals.released("h1");
    expect(() => cache.check(["t3"], asHold)).not.to.throw();
    const off = new SeatGuard(0);
    off.learn(taken({ t1: "a" }), ["t1"]);
    expect(() => off.check(["t1"], asHold)).not.to.throw();
  });
});

describe("edge: seats with a request in flight (unit)", () => {
  const cache = () => new SeatGuard(500);
  const pending = () => {
    let finish!: (ok: boolean) => void;
    const promise = new Promise<void>((resolve, reject) => {
      finish = (ok) => (ok ? resolve() : reject(new Error("declined")));
    });
    return { promise, finish };
  };

  it("refuses other users while a request for the seat is in flight, never its own user, and forgets it after", async () => {
    const refusals = cache();
    const first = pending();
    const running = refusals.run(["t1", "t2"], "a", () => first.promise);
    expect(refusals.refusal(["t2", "t9"], { userId: "b", booking: true })).to.match(/being booked/);
    expect(refusals.refusal(["t1"], { userId: "b", booking: false })).to.match(/being booked/);
    expect(refusals.refusal(["t1"], { userId: "a", booking: true })).to.equal(undefined);
    expect(refusals.refusal(["t9"], { userId: "b", booking: true })).to.equal(undefined);
    // The same user's second request (a retry) keeps the seat claimed until both ended.
    const retry = pending();
    const retrying = refusals.run(["t1"], "a", () => retry.promise);
    first.finish(true);
    await running;
    expect(refusals.refusal(["t1"], { userId: "b", booking: true })).to.match(/being booked/);
    expect(refusals.refusal(["t2"], { userId: "b", booking: true })).to.equal(undefined);
    retry.finish(false);
    await retrying.catch(() => undefined);
    expect(refusals.refusal(["t1"], { userId: "b", booking: true })).to.equal(undefined);
  });

  it("lets the seat's known owner replay its booking while someone else's request is in flight", async () => {
    const refusals = cache();
    refusals.learn(taken({ t1: "owner" }), ["t1"]);
    const other = pending();
    const running = refusals.run(["t1"], "b", () => other.promise);
    expect(refusals.refusal(["t1"], { userId: "owner", booking: true })).to.equal(undefined);
    expect(refusals.refusal(["t1"], { userId: "owner", booking: false })).to.match(/being booked/);
    expect(refusals.refusal(["t1"], { userId: "c", booking: true })).to.match(/being booked/);
    other.finish(false);
    await running.catch(() => undefined);
  });

  it("claims nothing when the cache is off", async () => {
    const off = new SeatGuard(0);
    const call = pending();
    const running = off.run(["t1"], "a", () => call.promise);
    expect(off.refusal(["t1"], { userId: "b", booking: true })).to.equal(undefined);
    call.finish(true);
    await running;
  });
});

describe("edge: seat refusal cache through the stack", function () {
  this.timeout(60_000);
  let stack: TestStack;
  let edge: FastifyInstance;
  let edgeUrl: string;
  const calls = { hold: 0, book: 0 };
  const tokens: Record<string, string> = {};
  before(async () => {
    stack = await startTestStack("edge_refusals", { EDGE_SEAT_REFUSAL_MS: "400" });
    for (const who of ["a", "b"]) tokens[who] = await login(stack.edgeUrl, `refusals-${who}@example.com`);
    // A second edge over the same backends whose inventory client counts the calls it makes.
    const real = stack.edge.deps.inventory;
    const inventory = {
      ...real,
      holdTickets: (...args: Parameters<typeof real.holdTickets>) => {
        calls.hold++;
        return real.holdTickets(...args);
      },
      bookTickets: (...args: Parameters<typeof real.bookTickets>) => {
        calls.book++;
        return real.bookTickets(...args);
      },
    } as EdgeDeps["inventory"];
    edge = await buildEdge(edgeDeps({ ...stack.edge.deps, inventory }));
    edgeUrl = await edge.listen({ port: 0, host: "127.0.0.1" });
  });
  after(async () => {
    await edge?.close();
    await stack?.close();
  });

  async function call(who: string, method: string, path: string, body?: unknown, headers = {}) {
    const res = await fetch(`${edgeUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  it("refuses a held seat without an inventory call within the window; accepts it after the window and after release", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 1);
    const hold = (who: string) => call(who, "POST", `/events/${eventId}/holds`, { ticketIds });
    const granted = await hold("a");
    expect(granted.status).to.equal(201);
    const first = await hold("b");
    expect(first.status).to.equal(409);
    expect(first.body.code).to.equal("seat_taken");
    const before = calls.hold;
    const again = await hold("b");
    expect(again).to.deep.equal(first); // same status and body, from the edge
    expect(calls.hold).to.equal(before);

    await new Promise((r) => setTimeout(r, 450));
    expect((await hold("b")).status).to.equal(409); // still held: inventory says so again
    expect(calls.hold).to.equal(before + 1);

    expect((await call("a", "DELETE", `/holds/${granted.body.holdId}`)).status).to.equal(204);
    const after = await hold("b");
    expect(after.status).to.equal(201); // released: accepted at once, within the window
    expect(calls.hold).to.equal(before + 2);
  });

  it("refuses others' bookings of a sold seat at the edge but replays the winner's retry", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 1);
    const book = (who: string, key: string) =>
      call(
        who,
        "POST",
        `/bookings/${eventId}`,
        { ticketIds, paymentDetails: card },
        { "idempotency-key": key },
      );
    const key = randomUUID();
    const won = await book("a", key);
    expect(won.status).to.equal(201);
    const lost = await book("b", randomUUID());
    expect(lost.status).to.equal(409);
    const before = calls.book;
    const refused = await book("b", randomUUID());
    expect(refused).to.deep.equal(lost);
    expect(calls.book).to.equal(before);
    const replay = await book("a", key);
    expect(replay.status).to.equal(201);
    expect(replay.body.bookingId).to.equal(won.body.bookingId);
    expect(calls.book).to.equal(before + 1);
  });
});

describe("edge: the seat guard is the same on REST and Connect", function () {
  this.timeout(60_000);
  let stack: TestStack;
  let edge: FastifyInstance;
  let edgeUrl: string;
  const tokens: Record<string, string> = {};
  before(async () => {
    stack = await startTestStack("edge_guard_parity", { EDGE_SEAT_REFUSAL_MS: "5000" });
    for (const who of ["a", "b"]) tokens[who] = await login(stack.edgeUrl, `parity-${who}@example.com`);
    // An edge that hears nothing on the seat channel: only what it sees itself clears a refusal.
    const deps = edgeDeps(stack.edge.deps);
    edge = await buildEdge({
      ...deps,
      seatChannel: new SeatChannel(stack.edge.deps.redis, "nobody-publishes:"),
    });
    edgeUrl = await edge.listen({ port: 0, host: "127.0.0.1" });
  });
  after(async () => {
    await edge?.close();
    await stack?.close();
  });

  const rpc = (who: string) =>
    createClient(
      TicketingService,
      createConnectTransport({
        baseUrl: edgeUrl,
        httpVersion: "1.1",
        interceptors: [
          (next) => (req) => {
            req.header.set("authorization", `Bearer ${tokens[who]}`);
            return next(req);
          },
        ],
      }),
    );

  async function rest(who: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${edgeUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  it("accepts a released seat at once, within the refusal window, on REST", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 1);
    const granted = await rest("a", "POST", `/events/${eventId}/holds`, { ticketIds });
    expect(granted.status).to.equal(201);
    expect((await rest("b", "POST", `/events/${eventId}/holds`, { ticketIds })).status).to.equal(409);
    expect((await rest("a", "DELETE", `/holds/${granted.body.holdId}`)).status).to.equal(204);
    expect((await rest("b", "POST", `/events/${eventId}/holds`, { ticketIds })).status).to.equal(201);
  });

  it("accepts a released seat at once, within the refusal window, on Connect", async () => {
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 1);
    const granted = await rpc("a").holdTickets({ eventId, ticketIds });
    const refused = await connectErrorOf(rpc("b").holdTickets({ eventId, ticketIds }));
    expect(refused.code).to.equal(Code.FailedPrecondition);
    expect(refused.rawMessage).to.match(/held by someone else/);
    await rpc("a").releaseHold({ holdId: granted.holdId });
    const after = await rpc("b").holdTickets({ eventId, ticketIds });
    expect(after.ticketIds).to.deep.equal(ticketIds);
  });
});
