import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { expect } from "chai";
import pg from "pg";
import { TicketingService, type WatchAvailabilityResponse } from "#gen/ticketing/api/v1/api_pb.js";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { asCaller, createRedis, seatChannel } from "#platform";
import { connectErrorOf, testRedisUrl } from "#platform/testing";
import { build as buildEdge } from "../src/main.ts";
import { openSse, type SseFrame, type SseStream } from "./sse-client.ts";
import { login, startTestStack, type TestStack } from "./stack.ts";
import { edgeClient, getJson, provision, type SeededEvent, seedEvent } from "./view-fixtures.ts";

type Seat = { id: string; status: string };
type Counts = { sectionId: string; available: number; held: number; sold: number };

const card = { cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123", name: "Fan" };

describe("live seat map: SSE and Connect streams of an event's availability", function () {
  this.timeout(60_000);
  let stack: TestStack;
  let seeded: SeededEvent;
  let stalls: string;
  let seats: string[];
  let token: string;
  const open: SseStream[] = [];

  before(async () => {
    stack = await startTestStack("availability_stream", {
      EDGE_STREAM_HEARTBEAT_MS: "300",
      HOLD_SECONDS: "2",
      EDGE_SEAT_REFUSAL_MS: "0",
    });
    const catalog = await edgeClient(CatalogService, stack, "admin@example.com");
    seeded = await seedEvent(catalog, "Live Map Night");
    expect(await provision(stack, seeded)).to.equal(true);
    stalls = seeded.sectionIds[0] as string;
    const list = await getJson(`${stack.edgeUrl}/events/${seeded.eventId}/tickets?section=${stalls}`);
    seats = (list.body as { tickets: Seat[] }).tickets.map((t) => t.id);
    token = await login(stack.edgeUrl, "live-map@example.com");
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  after(async () => {
    await stack?.close();
  });

  const streamUrl = (query = "") => `${stack.edgeUrl}/events/${seeded.eventId}/availability/stream${query}`;
  async function stream(query = "", headers: Record<string, string> = {}, base = streamUrl(query)) {
    const s = await openSse(base, headers);
    open.push(s);
    return s;
  }
  const auth = () => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
  async function hold(ticketIds: string[]): Promise<string> {
    const res = await fetch(`${stack.edgeUrl}/events/${seeded.eventId}/holds`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify({ ticketIds }),
    });
    expect(res.status).to.equal(201);
    return ((await res.json()) as { holdId: string }).holdId;
  }
  const seatsOf = (f: SseFrame) => (f.data.seats as Seat[] | undefined) ?? [];
  const countsOf = (f: SseFrame, sectionId: string) =>
    (f.data.sections as Counts[]).find((c) => c.sectionId === sectionId);
  const moved = (id: string, status: string) => (f: SseFrame) =>
    f.event === "changes" && seatsOf(f).some((s) => s.id === id && s.status === status);

  it("starts with a numbered snapshot, then streams holds, releases and sales with section counts", async () => {
    const s = await stream(`?section=${stalls}`);
    expect(s.status).to.equal(200);
    expect(s.headers.get("content-type")).to.match(/^text\/event-stream/);
    const snapshot = await s.next((f) => f.event === "snapshot");
    expect(snapshot.id).to.equal(String(snapshot.data.sequence));
    expect(countsOf(snapshot, stalls)).to.include({ available: 6, held: 0, sold: 0 });
    expect(seatsOf(snapshot).map((t) => t.status)).to.deep.equal(Array(6).fill("AVAILABLE"));

    const holdId = await hold([seats[0] as string, seats[1] as string]);
    const held = await s.next(moved(seats[1] as string, "HELD"));
    expect(BigInt(held.id as string) > BigInt(snapshot.id as string)).to.equal(true);
    expect(countsOf(held, stalls)).to.include({ available: 4, held: 2, sold: 0 });

    const released = await fetch(`${stack.edgeUrl}/holds/${holdId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(released.status).to.equal(204);
    const freed = await s.next(moved(seats[0] as string, "AVAILABLE"));
    expect(countsOf(freed, stalls)).to.include({ available: 6, held: 0 });

    const booked = await fetch(`${stack.edgeUrl}/bookings/${seeded.eventId}`, {
      method: "POST",
      headers: { ...auth(), "idempotency-key": randomUUID() },
      body: JSON.stringify({ ticketIds: [seats[2]], paymentDetails: card }),
    });
    expect(booked.status).to.equal(201);
    const sold = await s.next(moved(seats[2] as string, "SOLD"));
    expect(countsOf(sold, stalls)).to.include({ available: 5, held: 0, sold: 1 });
  });

  it("without a section streams counts per section and no seats", async () => {
    const s = await stream();
    const snapshot = await s.next((f) => f.event === "snapshot");
    expect(snapshot.data).to.not.have.property("seats");
    expect((snapshot.data.sections as Counts[]).map((c) => c.sectionId).sort()).to.deep.equal(
      [...seeded.sectionIds].sort(),
    );
    await hold([seats[3] as string]);
    const change = await s.next((f) => f.event === "changes");
    expect(change.data).to.not.have.property("seats");
    expect(countsOf(change, stalls)?.held).to.equal(1);
  });

  it("coalesces changes that arrive together into fewer messages (window ≤ 250 ms)", async () => {
    const fresh = await freshEvent("Coalesce Night");
    const s = await openSse(
      `${stack.edgeUrl}/events/${fresh.eventId}/availability/stream?section=${fresh.stalls}`,
    );
    open.push(s);
    await s.next((f) => f.event === "snapshot");
    const inventory = stack.edge.deps.inventory;
    // Four holds by four buyers at once, straight to inventory (no edge request in between).
    await Promise.all(
      fresh.seats
        .slice(0, 4)
        .map((id) =>
          inventory.holdTickets(
            { eventId: fresh.eventId, ticketIds: [id] },
            asCaller({ userId: randomUUID(), role: "user" }),
          ),
        ),
    );
    const last = await s.next((f) => f.event === "changes" && countsOf(f, fresh.stalls)?.held === 4);
    const changes = s.frames.filter((f) => f.event === "changes");
    expect(changes.length).to.be.below(4);
    expect(changes.flatMap(seatsOf).map((t) => t.status)).to.deep.equal(Array(4).fill("HELD"));
    expect(last.id).to.equal(String(last.data.sequence));
  });

  it("resumes from Last-Event-ID with only the missed changes, or starts over with a snapshot", async () => {
    const keeper = await stream(); // keeps the event's feed (and its ring) alive
    await keeper.next((f) => f.event === "snapshot");
    const first = await stream(`?section=${stalls}`);
    const snapshot = await first.next((f) => f.event === "snapshot");
    first.close();
    const holdId = await hold([seats[4] as string]);
    await keeper.next((f) => f.event === "changes" && Number(f.id) > Number(snapshot.id));

    const resumed = await stream(`?section=${stalls}`, { "last-event-id": snapshot.id as string });
    const next = await resumed.next();
    expect(next.event).to.equal("changes");
    expect(seatsOf(next)).to.deep.include({ id: seats[4], status: "HELD" });

    const upToDate = await stream(`?section=${stalls}`, { "last-event-id": next.id as string });
    await sleep(400); // a heartbeat comes, but nothing to replay (only changes after it, if any)
    expect(
      upToDate.frames.filter((f) => f.event === "snapshot" || Number(f.id) <= Number(next.id)),
    ).to.deep.equal([]);
    expect(upToDate.comments).to.be.greaterThan(0);

    const unknown = await stream(`?section=${stalls}`, { "last-event-id": "999999999" });
    expect((await unknown.next()).event).to.equal("snapshot");
    await fetch(`${stack.edgeUrl}/holds/${holdId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
  });

  it("shows a hold that ran out (TTL, no release) as available within 2 s of its expiry", async () => {
    const s = await stream(`?section=${stalls}`);
    await s.next((f) => f.event === "snapshot");
    const res = await fetch(`${stack.edgeUrl}/events/${seeded.eventId}/holds`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify({ ticketIds: [seats[5]] }),
    });
    const { expiresAt } = (await res.json()) as { expiresAt: string };
    const heldAt = s.frames.length;
    await s.next(moved(seats[5] as string, "HELD"));
    await s.next(moved(seats[5] as string, "AVAILABLE"), 6000, heldAt);
    expect(Date.now() - Date.parse(expiresAt)).to.be.below(2000);
  });

  it("after a gap in the sequence (lost messages) reloads and streams what it missed", async () => {
    const fresh = await freshEvent("Gap Night");
    const s = await openSse(
      `${stack.edgeUrl}/events/${fresh.eventId}/availability/stream?section=${fresh.stalls}`,
    );
    open.push(s);
    await s.next((f) => f.event === "snapshot");
    // A sale the edge never hears of (as if its message were lost while the subscriber reconnected)…
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    await db.query("update inventory.ticket set status = 'SOLD', version = version + 1 where id = $1", [
      fresh.seats[5],
    ]);
    await db.end();
    const redis = createRedis(testRedisUrl);
    await redis.incrby(`${stack.redisPrefix}seatseq:${fresh.eventId}`, 3);
    redis.disconnect();
    // …then the next change arrives numbered past the gap: the edge loads the event again.
    const res = await fetch(`${stack.edgeUrl}/events/${fresh.eventId}/holds`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify({ ticketIds: [fresh.seats[0]] }),
    });
    expect(res.status).to.equal(201);
    await s.next(moved(fresh.seats[0] as string, "HELD"));
    const healed = await s.next(moved(fresh.seats[5] as string, "SOLD"), 5000);
    expect(countsOf(healed, fresh.stalls)).to.include({ sold: 1 });
  });

  it("answers bad input with a 4xx JSON error before any stream starts", async () => {
    const at = (path: string, headers: Record<string, string> = {}) =>
      openSse(`${stack.edgeUrl}${path}`, headers);
    const cases: [string, Record<string, string>, number, RegExp][] = [
      [`/events/${randomUUID()}/availability/stream`, {}, 404, /not found|no event/i],
      ["/events/not-a-uuid/availability/stream", {}, 400, /eventId must be a UUID/],
      [`/events/${seeded.eventId}/availability/stream?section=nope`, {}, 400, /section must be a UUID/],
      [`/events/${seeded.eventId}/availability/stream?section=${randomUUID()}`, {}, 404, /not part of event/],
      [`/events/${seeded.eventId}/availability/stream?sector=x`, {}, 400, /unknown query parameter/],
      [`/events/${seeded.eventId}/availability/stream`, { "last-event-id": "abc" }, 400, /Last-Event-ID/],
    ];
    for (const [path, headers, status, message] of cases) {
      const s = await at(path, headers);
      expect([path, s.status]).to.deep.equal([path, status]);
      expect(s.body?.message).to.match(message);
    }
    expect(stack.edge.deps.availability.size.events).to.equal(0); // nothing left subscribed
  });

  it("subscribes once per event however many streams, and unsubscribes with the last", async () => {
    const redis = createRedis(testRedisUrl);
    const channel = seatChannel(stack.redisPrefix, seeded.eventId);
    const subscribers = async () => (await redis.pubsub("NUMSUB", channel))[1];
    try {
      const streams = await Promise.all([stream(), stream(`?section=${stalls}`), stream()]);
      await Promise.all(streams.map((s) => s.next((f) => f.event === "snapshot")));
      expect(stack.edge.deps.availability.size).to.deep.equal({ streams: 3, events: 1 });
      expect(await subscribers()).to.equal(1);
      for (const s of streams) s.close();
      for (let i = 0; i < 100 && stack.edge.deps.availability.size.events > 0; i++) await sleep(20);
      expect(stack.edge.deps.availability.size).to.deep.equal({ streams: 0, events: 0 });
      for (let i = 0; i < 100 && (await subscribers()) !== 0; i++) await sleep(20);
      expect(await subscribers()).to.equal(0);
    } finally {
      redis.disconnect();
    }
  });

  it("serves the same feed as a Connect server stream (WatchAvailability), with InvalidArgument and NotFound", async () => {
    const client = createClient(
      TicketingService,
      createConnectTransport({ baseUrl: stack.edgeUrl, httpVersion: "1.1" }),
    );
    const abort = new AbortController();
    const messages = client
      .watchAvailability({ eventId: seeded.eventId, sectionId: stalls }, { signal: abort.signal })
      [Symbol.asyncIterator]();
    const first: WatchAvailabilityResponse | undefined = (await messages.next()).value;
    expect(first?.update.case).to.equal("snapshot");
    const snapshot = first?.update.case === "snapshot" ? first.update.value : undefined;
    expect(snapshot?.seats).to.have.length(6);
    const free = snapshot?.seats.find((t) => t.status === TicketStatus.AVAILABLE)?.id as string;
    await hold([free]);
    let change: WatchAvailabilityResponse | undefined = (await messages.next()).value;
    while (change?.update.case === "heartbeat") change = (await messages.next()).value;
    expect(change?.update.case).to.equal("changes");
    const value = change?.update.case === "changes" ? change.update.value : undefined;
    expect(value?.seats).to.deep.include({
      $typeName: "ticketing.api.v1.SeatStatusChange",
      ticketId: free,
      status: TicketStatus.HELD,
    });
    expect((change?.sequence ?? 0n) > (first?.sequence ?? 0n)).to.equal(true);
    abort.abort();

    const bad = await connectErrorOf(
      client.watchAvailability({ eventId: "nope" })[Symbol.asyncIterator]().next(),
    );
    expect(bad.code).to.equal(Code.InvalidArgument);
    const missing = await connectErrorOf(
      client.watchAvailability({ eventId: randomUUID() })[Symbol.asyncIterator]().next(),
    );
    expect(missing.code).to.equal(Code.NotFound);
  });

  it("ends its streams when the edge shuts down, instead of holding the shutdown open", async () => {
    const edge = await buildEdge(stack.edge.deps.config);
    const url = await edge.app.listen({ port: 0, host: "127.0.0.1" });
    const s = await stream("", {}, `${url}/events/${seeded.eventId}/availability/stream`);
    await s.next((f) => f.event === "snapshot");
    await edge.close();
    for (let i = 0; i < 100 && !s.ended; i++) await sleep(20);
    expect(s.ended).to.equal(true);
  });

  it("answers 503 with a clear message when Redis (the seat channel) is down", async () => {
    const edge = await buildEdge({ ...stack.edge.deps.config, REDIS_URL: "redis://127.0.0.1:1" });
    try {
      const url = await edge.app.listen({ port: 0, host: "127.0.0.1" });
      const s = await openSse(`${url}/events/${seeded.eventId}/availability/stream`);
      expect(s.status).to.equal(503);
      expect(s.body?.message).to.match(/live seat maps are unavailable: Redis did not answer/);
    } finally {
      await edge.close();
    }
  });

  /** Another event with its own tickets, so counts start from zero. */
  async function freshEvent(name: string) {
    const catalog = await edgeClient(CatalogService, stack, "admin@example.com");
    const event = await seedEvent(catalog, name);
    expect(await provision(stack, event)).to.equal(true);
    const section = event.sectionIds[0] as string;
    const list = await getJson(`${stack.edgeUrl}/events/${event.eventId}/tickets?section=${section}`);
    return {
      eventId: event.eventId,
      stalls: section,
      seats: (list.body as { tickets: Seat[] }).tickets.map((t) => t.id),
    };
  }
});
