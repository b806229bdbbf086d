import { expect } from "chai";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { haproxyConfig, maxconnFor } from "../../scripts/local/haproxy.ts";
import { type ReplicatedStack, startReplicatedStack } from "./replicated-stack.ts";
import { openSse, type SseFrame, type SseStream } from "./sse-client.ts";
import { login, seedTickets } from "./stack.ts";
import { edgeClient, getJson, provision, seedEvent } from "./view-fixtures.ts";

describe("HAProxy config for several edges", () => {
  it("balances by least connections, checks /healthz and keeps streams open for an hour", () => {
    const cfg = haproxyConfig({ host: "0.0.0.0", port: 8080, edgePorts: [8081, 8082] });
    for (const line of [
      "mode http",
      "balance leastconn",
      "option httpchk GET /healthz",
      "timeout client 1h",
      "timeout server 1h",
      "timeout tunnel 1h",
      "bind 0.0.0.0:8080",
      "server edge1 127.0.0.1:8081 check",
      "server edge2 127.0.0.1:8082 check",
      "retry-on conn-failure empty-response",
      "http-request disable-l7-retry unless METH_GET",
    ])
      expect(cfg).to.contain(line);
  });

  it("keeps maxconn within what the open-file limit allows (two descriptors per connection)", () => {
    expect(maxconnFor(100_000, 20_000)).to.equal(9_900);
    expect(maxconnFor(500, 20_000)).to.equal(500);
    expect(maxconnFor(100_000, 100)).to.equal(1);
  });
});

describe("two edges behind HAProxy", function () {
  this.timeout(60_000);
  let rs: ReplicatedStack;
  before(async () => {
    // A refusal window far longer than the test: only the seat channel can clear an entry in time.
    rs = await startReplicatedStack("edge_haproxy", 2, { EDGE_SEAT_REFUSAL_MS: "10000" });
  });
  after(async () => {
    await rs?.close();
  });

  const json = (token: string, body?: unknown) => ({
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

  it("spreads requests over both edges and answers through the public port", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => fetch(`${rs.url}/healthz`).then((r) => r.status)),
    );
    expect(answers.every((s) => s === 200)).to.equal(true);
    expect(rs.edges.map((e) => e.served > 0)).to.deep.equal([true, true]);
  });

  it("holds and books through HAProxy, whichever edge answers each step", async () => {
    const { eventId, ticketIds } = await seedTickets(rs.stack.databaseUrl, 2);
    const token = await login(rs.url, "haproxy-buyer@example.com");
    const held = await fetch(`${rs.url}/events/${eventId}/holds`, {
      method: "POST",
      ...json(token, { ticketIds }),
    });
    expect(held.status).to.equal(201);
    const { holdId } = (await held.json()) as { holdId: string };
    const booked = await fetch(`${rs.url}/bookings/${eventId}`, {
      method: "POST",
      ...json(token, {
        ticketIds,
        holdId,
        paymentDetails: {
          cardNumber: "4242 4242 4242 4242",
          expMonth: 12,
          expYear: 2099,
          cvc: "123",
          name: "Fan",
        },
      }),
      headers: { ...json(token).headers, "idempotency-key": `haproxy-${holdId}` },
    });
    expect(booked.status).to.equal(201);
    expect(((await booked.json()) as { status: string }).status).to.equal("CONFIRMED");
  });

  it("a release through one edge clears the other edge's seat refusal at once (seat channel)", async () => {
    const [one, two] = rs.edges;
    if (!one || !two) throw new Error("two edges expected");
    const { eventId, ticketIds } = await seedTickets(rs.stack.databaseUrl, 1);
    const a = await login(rs.url, "haproxy-a@example.com");
    const b = await login(rs.url, "haproxy-b@example.com");
    const hold = (edgeUrl: string, token: string) =>
      fetch(`${edgeUrl}/events/${eventId}/holds`, { method: "POST", ...json(token, { ticketIds }) });
    const granted = await hold(one.url, a);
    expect(granted.status).to.equal(201);
    expect((await hold(two.url, b)).status).to.equal(409); // edge two now refuses it for 10 s
    const { holdId } = (await granted.json()) as { holdId: string };
    expect(
      (
        await fetch(`${one.url}/holds/${holdId}`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${a}` },
        })
      ).status,
    ).to.equal(204);
    // The release reaches edge two over the seat channel (asynchronously: give it a moment).
    let status = 0;
    for (let i = 0; i < 40 && status !== 201; i++) {
      status = (await hold(two.url, b)).status;
      if (status !== 201) await new Promise((r) => setTimeout(r, 25));
    }
    expect(status).to.equal(201);
  });

  it("an event changed through one edge reads changed through the other once its micro-cache window passed", async () => {
    const [one, two] = rs.edges;
    if (!one || !two) throw new Error("two edges expected");
    const viaOne = await edgeClient(CatalogService, { ...rs.stack, edgeUrl: one.url }, "admin@example.com");
    const seeded = await seedEvent(viaOne, "Replica Night");
    expect(await provision(rs.stack, seeded)).to.equal(true);
    const name = async (url: string) =>
      ((await getJson(`${url}/events/${seeded.eventId}`)).body as { event: { name: string } }).event.name;
    expect(await name(two.url)).to.equal("Replica Night"); // now cached on edge two
    await viaOne.updateEvent({ eventId: seeded.eventId, name: "Replica Night (moved)" });
    await new Promise((r) => setTimeout(r, rs.stack.edge.deps.config.EDGE_MICROCACHE_MS + 50));
    expect(await name(two.url)).to.equal("Replica Night (moved)");
    expect(await name(rs.url)).to.equal("Replica Night (moved)");
  });

  it("streams seat changes through HAProxy from both edges, and resumes a stream on the other edge", async () => {
    const [one, two] = rs.edges;
    if (!one || !two) throw new Error("two edges expected");
    const admin = await edgeClient(CatalogService, { ...rs.stack, edgeUrl: rs.url }, "admin@example.com");
    const seeded = await seedEvent(admin, "Replica Stream Night");
    expect(await provision(rs.stack, seeded)).to.equal(true);
    const section = seeded.sectionIds[0] as string;
    const path = `/events/${seeded.eventId}/availability/stream?section=${section}`;
    const streams: SseStream[] = [];
    try {
      // Least connections: the second long-lived stream goes to the edge without one.
      for (let i = 0; i < 2; i++) {
        const s = await openSse(`${rs.url}${path}`);
        streams.push(s);
        await s.next((f) => f.event === "snapshot");
      }
      expect(rs.edges.map((e) => e.edge.deps.availability.size.streams)).to.deep.equal([1, 1]);
      const snapshot = streams[0]?.frames[0] as SseFrame;
      const seats = snapshot.data.seats as { id: string }[];
      const token = await login(rs.url, "haproxy-stream@example.com");
      const held = await fetch(`${rs.url}/events/${seeded.eventId}/holds`, {
        method: "POST",
        ...json(token, { ticketIds: [seats[0]?.id] }),
      });
      expect(held.status).to.equal(201);
      const changes = await Promise.all(streams.map((s) => s.next((f) => f.event === "changes")));
      expect(changes.map((c) => c.id)).to.deep.equal([changes[0]?.id, changes[0]?.id]); // same numbering
      // A reconnect that lands on either edge resumes from the same number.
      for (const edge of [one, two]) {
        const resumed = await openSse(`${edge.url}${path}`, { "last-event-id": snapshot.id as string });
        streams.push(resumed);
        const first = await resumed.next();
        expect(first.event).to.equal("changes");
        expect(first.data.seats).to.deep.equal([{ id: seats[0]?.id, status: "HELD" }]);
      }
    } finally {
      for (const s of streams) s.close();
    }
  });

  it("keeps answering when one edge dies: HAProxy marks it DOWN and sends everything to the other", async () => {
    const [one] = rs.edges;
    if (!one) throw new Error("an edge expected");
    await one.stop();
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${rs.url}/events?pageSize=1`).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 200)).to.equal(true);
    await rs.waitFor("DOWN", 0);
  });
});
