// Prometheus metrics of one edge process, on a port of their own (METRICS_PORT) so that nothing
// on the public port exposes them. The autoscaler's signal is `requests_in_flight`: during an onsale
// most of an edge's load is waiting-room and seat-map streams that hold memory and descriptors
// while costing almost no CPU, so a CPU target alone would scale too late (deploy/README.md).
import { createServer, type Server } from "node:http";
import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

export class EdgeMetrics {
  readonly registry = new Registry();
  private readonly inFlight = new Gauge({
    name: "ticketing_edge_requests_in_flight",
    help: "HTTP requests this edge is answering, open streams included",
    registers: [this.registry],
  });
  private readonly responses = new Counter({
    name: "ticketing_edge_responses_total",
    help: "HTTP responses by status class",
    labelNames: ["class"] as const,
    registers: [this.registry],
  });

  /** `seatStreams` counts the live seat-map streams open (read at each scrape). */
  constructor(seatStreams: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: "ticketing_edge_" });
    new Gauge({
      name: "ticketing_edge_seat_streams_open",
      help: "Live seat-map streams open on this edge",
      registers: [this.registry],
      collect() {
        this.set(seatStreams());
      },
    });
  }

  /** Counts every request from arrival until its connection's response closes (hijacked SSE too). */
  instrument(app: FastifyInstance): void {
    app.addHook("onRequest", async (_request, reply) => {
      this.inFlight.inc();
      reply.raw.once("close", () => {
        this.inFlight.dec();
        this.responses.inc({ class: `${Math.floor(reply.raw.statusCode / 100)}xx` });
      });
    });
  }

  /** Serves GET /metrics on `port` (0: a free one); resolves to the listening server. */
  async listen(port: number, host: string): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.method !== "GET" || req.url !== "/metrics") {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: "not_found", message: "only GET /metrics is served here" }));
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": this.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
    return server;
  }
}
