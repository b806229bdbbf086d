// The edge's Prometheus metrics: what the autoscaler reads (requests in flight, streams included)
// and that they come down again when clients leave.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { openSse } from "./sse-client.ts";
import { startTestStack, type TestStack } from "./stack.ts";
import { edgeClient, provision, type SeededEvent, seedEvent } from "./view-fixtures.ts";

describe("edge: Prometheus metrics on a port of their own", function () {
  this.timeout(60_000);
  let stack: TestStack;
  let seeded: SeededEvent;
  let server: Server;
  let metricsUrl: string;

  before(async () => {
    stack = await startTestStack("edge_metrics");
    seeded = await seedEvent(await edgeClient(CatalogService, stack, "admin@example.com"), "Metrics Night");
    expect(await provision(stack, seeded)).to.equal(true);
    server = await stack.edge.deps.metrics.listen(0, "127.0.0.1");
    metricsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.close();
    await stack?.close();
  });

  /** The value of an unlabelled sample, or of the one with `labels` (e.g. `class="2xx"`). */
  async function sample(name: string, labels = ""): Promise<number> {
    const text = await (await fetch(`${metricsUrl}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
    if (!line) throw new Error(`no sample ${name}{${labels}}`);
    return Number(line.split(" ")[1]);
  }

  it("counts open seat-map streams as requests in flight, and forgets them when they close", async () => {
    const before = await sample("ticketing_edge_requests_in_flight");
    const streams = await Promise.all(
      [1, 2, 3].map(() => openSse(`${stack.edgeUrl}/events/${seeded.eventId}/availability/stream`)),
    );
    await Promise.all(streams.map((s) => s.next((f) => f.event === "snapshot")));
    expect(await sample("ticketing_edge_requests_in_flight")).to.equal(before + 3);
    expect(await sample("ticketing_edge_seat_streams_open")).to.equal(3);
    for (const s of streams) s.close();
    for (let i = 0; i < 50 && (await sample("ticketing_edge_seat_streams_open")) > 0; i++) await sleep(100);
    expect(await sample("ticketing_edge_seat_streams_open")).to.equal(0);
    expect(await sample("ticketing_edge_requests_in_flight")).to.equal(before);
  });

  it("counts answers by status class, and includes the process's own figures", async () => {
    const ok = await sample("ticketing_edge_responses_total", 'class="2xx"').catch(() => 0);
    const missing = await sample("ticketing_edge_responses_total", 'class="4xx"').catch(() => 0);
    expect((await fetch(`${stack.edgeUrl}/events/${seeded.eventId}`)).status).to.equal(200);
    expect((await fetch(`${stack.edgeUrl}/no/such/route`)).status).to.equal(404);
    await sleep(50);
    expect(await sample("ticketing_edge_responses_total", 'class="2xx"')).to.equal(ok + 1);
    expect(await sample("ticketing_edge_responses_total", 'class="4xx"')).to.equal(missing + 1);
    expect(await sample("ticketing_edge_process_resident_memory_bytes")).to.be.greaterThan(0);
  });

  it("serves nothing but GET /metrics on that port, and nothing of it on the public one", async () => {
    const other = await fetch(`${metricsUrl}/events`);
    expect(other.status).to.equal(404);
    expect(await other.json()).to.have.property("code", "not_found");
    expect((await fetch(`${stack.edgeUrl}/metrics`)).status).to.equal(404);
  });
});
