import { randomUUID } from "node:crypto";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { expect } from "chai";
import { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { QueueService, QueueState } from "#gen/ticketing/queue/v1/queue_pb.js";
import { AdmissionSigner, parseSigningKey, serviceClient } from "#platform";
import { callCounter, connectErrorOf, testSigner } from "#platform/testing";
import { readEvents } from "../../loadtest/src/surge/sse.ts";
import { buildEdge as edgeApp } from "../src/app.ts";
import { edgeDeps } from "../src/deps.ts";
import { build as buildEdge } from "../src/main.ts";
import { call, card, waitForPlace, waitingRoomEvent } from "./queue-fixtures.ts";
import { login, startTestStack, type TestStack } from "./stack.ts";

/** Reads a Server-Sent Events response into its `data:` JSON payloads until it ends. */
async function sseEvents(url: string, token: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(res.headers.get("content-type")).to.match(/^text\/event-stream/);
  const events: Record<string, unknown>[] = [];
  await readEvents(res.body as unknown as AsyncIterable<Uint8Array>, (e) => events.push(e));
  return events;
}

describe("edge: the waiting room (REST, SSE, Connect) and admission tokens on holds and bookings", function () {
  this.timeout(90_000);
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack("edge_queue");
  });
  after(async () => {
    await stack?.close();
  });

  it("joins, admits in order, requires a valid token on holds and bookings, frees the slot on booking", async () => {
    const { eventId, ticketIds } = await waitingRoomEvent(stack, { places: 4, maxActiveShoppers: 1 });
    const [a, b] = await Promise.all([
      login(stack.edgeUrl, `a-${randomUUID()}@example.com`),
      login(stack.edgeUrl, `b-${randomUUID()}@example.com`),
    ]);
    const url = `${stack.edgeUrl}/events/${eventId}/queue`;
    expect((await call("POST", url, a)).status).to.equal(200);
    const joinedB = await call("POST", url, b);
    expect(joinedB.body).to.include({ state: "waiting" });
    const admittedA = await waitForPlace(stack.edgeUrl, eventId, a, (p) => p.state === "admitted");
    expect(admittedA).to.include({ state: "admitted" });
    expect(admittedA.admissionToken).to.be.a("string");
    expect(Date.parse(admittedA.shoppingEndsAt as string)).to.be.greaterThan(Date.now());
    const waitingB = await call("GET", url, b);
    expect(waitingB.body).to.include({ state: "waiting", position: 1, ahead: 0 });
    // Another device of the same buyer: the same place.
    expect((await call("POST", url, b)).body).to.include({ state: "waiting", position: 1 });

    const hold = (token: string, admission?: string, ids = ticketIds.slice(0, 2)) =>
      call(
        "POST",
        `${stack.edgeUrl}/events/${eventId}/holds`,
        token,
        { ticketIds: ids },
        admission === undefined ? {} : { "admission-token": admission },
      );
    const tokenA = admittedA.admissionToken as string;
    const signer = new AdmissionSigner(parseSigningKey(stack.admissionKeys.signingKey, "key"));
    const otherEvent = await signer.sign(
      { userId: "x", eventId: randomUUID(), expiresAtMs: Date.now() + 60_000 },
      Date.now(),
    );
    for (const [who, token] of [
      [a, undefined],
      [a, "garbage"],
      [a, `${tokenA.slice(0, -3)}abc`],
      [a, otherEvent],
      [b, tokenA],
    ] as const) {
      const refused = await hold(who, token);
      expect(refused.status, String(token)).to.equal(403);
      expect(refused.body.code).to.equal("admission_required");
      expect(refused.body.message).to.be.a("string").and.not.empty;
    }
    const held = await hold(a, tokenA);
    expect(held.status).to.equal(201);
    const booking = (admission?: string) =>
      call(
        "POST",
        `${stack.edgeUrl}/bookings/${eventId}`,
        a,
        { ticketIds: ticketIds.slice(0, 2), holdId: held.body.holdId, paymentDetails: card },
        { "idempotency-key": "order-1", ...(admission ? { "admission-token": admission } : {}) },
      );
    expect((await booking()).body.code).to.equal("admission_required");
    const booked = await booking(tokenA);
    expect(booked.status).to.equal(201);
    // A retry after the token is gone (the shopping window ended) gets the first answer, not a 403;
    // without the key, or from someone else, it is still refused.
    for (const admission of [undefined, "garbage"]) {
      const retry = await booking(admission);
      expect(retry.status, String(admission)).to.equal(201);
      expect(retry.body.bookingId).to.equal(booked.body.bookingId);
    }
    const other = await call(
      "POST",
      `${stack.edgeUrl}/bookings/${eventId}`,
      b,
      { ticketIds: ticketIds.slice(0, 2), paymentDetails: card },
      { "idempotency-key": "order-1" },
    );
    expect(other.status).to.equal(403);
    expect(other.body.code).to.equal("admission_required");
    // Booking freed A's shopping slot: B is admitted next.
    const admittedB = await waitForPlace(stack.edgeUrl, eventId, b, (p) => p.state === "admitted");
    expect(admittedB.state).to.equal("admitted");
  });

  it("gathers concurrent joins and status reads into a few batch calls, each buyer with a place of their own", async () => {
    const { eventId } = await waitingRoomEvent(stack, {
      places: 10,
      maxActiveShoppers: 1,
      admissionsPerMinute: 1,
    });
    /** An edge of its own (nothing remembered yet) over the same queue, counting its calls to it. */
    const countingEdge = async () => {
      const counter = callCounter();
      const app = await edgeApp(
        edgeDeps({
          ...stack.edge.deps,
          queue: serviceClient(QueueService, stack.queueUrl, [
            counter.interceptor,
            testSigner().interceptor("queue"),
          ]),
        }),
      );
      return { app, counter, base: await app.listen({ host: "127.0.0.1", port: 0 }) };
    };
    const joining = await countingEdge();
    const reading = await countingEdge();
    try {
      const buyers = Array.from({ length: 600 }, (_, i) => ({
        userId: `crowd-${i}-${randomUUID()}`,
        role: "user" as const,
      }));
      const tokens = await Promise.all(buyers.map((b) => stack.edge.deps.tokens.sign(b)));
      // Half over REST, half over Connect (whose answer shows the number): one batcher serves both.
      const joins = await Promise.all(
        tokens.map(async (token, i) => {
          const connect = i % 2 === 0;
          const res = await fetch(
            connect
              ? `${joining.base}/ticketing.api.v1.TicketingService/JoinQueue`
              : `${joining.base}/events/${eventId}/queue`,
            {
              method: "POST",
              headers: {
                authorization: `Bearer ${token}`,
                ...(connect ? { "content-type": "application/json" } : {}),
              },
              ...(connect ? { body: JSON.stringify({ eventId }) } : {}),
            },
          );
          return { statusCode: res.status, body: await res.json() };
        }),
      );
      expect(joins.map((r) => r.statusCode)).to.deep.equal(joins.map(() => 200));
      const numbers = joins.filter((_, i) => i % 2 === 0).map((r) => Number(r.body.status.number));
      expect(new Set(numbers).size).to.equal(300);
      expect(Math.max(...numbers)).to.be.at.most(600);
      // Every buyer has a place of their own in the queue.
      const { snapshot } = await serviceClient(QueueService, stack.queueUrl).getQueueSnapshot({ eventId });
      expect(snapshot?.issued).to.equal(600n);
      // At most 256 joins per call, so three calls at the least; and far fewer calls than joins.
      expect(joining.counter.calls).to.be.within(3, 150);

      // An edge that never saw these buyers must ask the queue for every place: batched too, and a
      // stranger among them gets 404 while the others get their places.
      const stranger = await stack.edge.deps.tokens.sign({
        userId: `stranger-${randomUUID()}`,
        role: "user",
      });
      const asked = [...tokens.slice(0, 300), stranger, ...tokens.slice(300)];
      const reads = await Promise.all(
        asked.map(async (token) => {
          const res = await fetch(`${reading.base}/events/${eventId}/queue`, {
            headers: { authorization: `Bearer ${token}` },
          });
          return { statusCode: res.status, body: await res.json() };
        }),
      );
      expect(reads[300]).to.deep.include({ statusCode: 404 });
      expect(reads[300]?.body.code).to.equal("not_found");
      const found = reads.filter((_, i) => i !== 300);
      expect(found.map((r) => r.statusCode)).to.deep.equal(found.map(() => 200));
      expect(found.every((r) => ["waiting", "admitted"].includes(r.body.state))).to.equal(true);
      // The room's counters (one snapshot poll) and the batches.
      expect(reading.counter.calls).to.be.within(4, 150);
    } finally {
      await joining.app.close();
      await reading.app.close();
    }
  });

  it("frees the slot when the booking reaches another edge than the one that admitted the shopper", async () => {
    // Behind HAProxy a buyer's requests land on either edge: this one never saw A's place.
    const other = await buildEdge(stack.edge.deps.config);
    const otherUrl = await other.app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const { eventId, ticketIds } = await waitingRoomEvent(stack, { places: 4, maxActiveShoppers: 1 });
      const [a, b] = await Promise.all([
        login(stack.edgeUrl, `a-${randomUUID()}@example.com`),
        login(stack.edgeUrl, `b-${randomUUID()}@example.com`),
      ]);
      const url = `${stack.edgeUrl}/events/${eventId}/queue`;
      expect((await call("POST", url, a)).status).to.equal(200);
      expect((await call("POST", url, b)).body).to.include({ state: "waiting" });
      const admittedA = await waitForPlace(stack.edgeUrl, eventId, a, (p) => p.state === "admitted");
      const admission = { "admission-token": admittedA.admissionToken as string };
      const held = await call(
        "POST",
        `${otherUrl}/events/${eventId}/holds`,
        a,
        { ticketIds: ticketIds.slice(0, 1) },
        admission,
      );
      expect(held.status).to.equal(201);
      const booked = await call(
        "POST",
        `${otherUrl}/bookings/${eventId}`,
        a,
        { ticketIds: ticketIds.slice(0, 1), holdId: held.body.holdId, paymentDetails: card },
        { ...admission, "idempotency-key": randomUUID() },
      );
      expect(booked.status).to.equal(201);
      // A's window runs for 600 s: only the freed slot lets B in now.
      const placeB = await waitForPlace(stack.edgeUrl, eventId, b, (p) => p.state === "admitted");
      expect(placeB.state).to.equal("admitted");
    } finally {
      await other.close();
    }
  });

  it("answers bad input clearly: not signed in 401, unknown event 404, bad id 400, no waiting room not_required", async () => {
    const token = await login(stack.edgeUrl, `c-${randomUUID()}@example.com`);
    expect((await call("POST", `${stack.edgeUrl}/events/${randomUUID()}/queue`, undefined)).status).to.equal(
      401,
    );
    const unknown = await call("POST", `${stack.edgeUrl}/events/${randomUUID()}/queue`, token);
    expect(unknown.status).to.equal(404);
    expect(unknown.body.code).to.equal("not_found");
    expect((await call("GET", `${stack.edgeUrl}/events/nope/queue`, token)).status).to.equal(400);
    const plain = await waitingRoomEvent(stack, { places: 2, enabled: false });
    const free = await call("POST", `${stack.edgeUrl}/events/${plain.eventId}/queue`, token);
    expect(free.body).to.include({ state: "not_required" });
    // No waiting room: holds need no token.
    const held = await call("POST", `${stack.edgeUrl}/events/${plain.eventId}/holds`, token, {
      ticketIds: plain.ticketIds.slice(0, 1),
    });
    expect(held.status).to.equal(201);
    const { eventId } = await waitingRoomEvent(stack, { places: 2 });
    const notJoined = await call("GET", `${stack.edgeUrl}/events/${eventId}/queue`, token);
    expect(notJoined.status).to.equal(404);
    const twice = await call(
      "POST",
      `${stack.edgeUrl}/events/${eventId}/holds`,
      token,
      { ticketIds: [] },
      {},
    );
    expect(twice.status).to.equal(400);
  });

  it("streams the place over SSE until the final state, and the same over Connect", async () => {
    const { eventId, ticketIds } = await waitingRoomEvent(stack, { places: 1, maxActiveShoppers: 1 });
    const [buyer, waiter, watcher] = await Promise.all(
      ["buyer", "waiter", "watcher"].map((n) => login(stack.edgeUrl, `${n}-${randomUUID()}@example.com`)),
    );
    const url = `${stack.edgeUrl}/events/${eventId}/queue`;
    await call("POST", url, buyer as string);
    const admitted = await waitForPlace(
      stack.edgeUrl,
      eventId,
      buyer as string,
      (p) => p.state === "admitted",
    );
    await call("POST", url, waiter as string);
    const client = createClient(
      TicketingService,
      createConnectTransport({
        baseUrl: stack.edgeUrl,
        httpVersion: "1.1",
        interceptors: [
          (next) => (req) => {
            req.header.set("authorization", `Bearer ${watcher}`);
            return next(req);
          },
        ],
      }),
    );
    expect((await client.joinQueue({ eventId })).status?.state).to.equal(QueueState.WAITING);
    const connectStates: QueueState[] = [];
    const watching = (async () => {
      for await (const res of client.watchQueue({ eventId })) connectStates.push(res.status?.state ?? 0);
    })();
    const sse = sseEvents(`${url}/stream`, waiter as string);
    await new Promise((r) => setTimeout(r, 800));
    const held = await call(
      "POST",
      `${stack.edgeUrl}/events/${eventId}/holds`,
      buyer as string,
      { ticketIds },
      { "admission-token": admitted.admissionToken as string },
    );
    const booked = await call(
      "POST",
      `${stack.edgeUrl}/bookings/${eventId}`,
      buyer as string,
      { ticketIds, holdId: held.body.holdId, paymentDetails: card },
      { "idempotency-key": "k1", "admission-token": admitted.admissionToken as string },
    );
    expect(booked.status).to.equal(201);
    const soldAt = Date.now();
    const events = await sse;
    const arrived = Date.now();
    expect(events[0]).to.include({ state: "waiting", position: 1 });
    expect(events.at(-1)).to.include({ state: "sold_out" });
    expect(arrived - soldAt).to.be.lessThan(2000);
    await watching;
    expect(connectStates[0]).to.equal(QueueState.WAITING);
    expect(connectStates.at(-1)).to.equal(QueueState.SOLD_OUT);
    const unauthenticated = createClient(
      TicketingService,
      createConnectTransport({ baseUrl: stack.edgeUrl, httpVersion: "1.1" }),
    );
    expect((await connectErrorOf(unauthenticated.joinQueue({ eventId }))).code).to.equal(
      Code.Unauthenticated,
    );
  });
});
