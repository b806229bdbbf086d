import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { FastifyInstance } from "fastify";
import { Health, HealthCheckResponse_ServingStatus as Status } from "#gen/grpc/health/v1/health_pb.js";
import type { EdgeDeps } from "../deps.ts";

/**
 * GET /healthz (readiness) names each backend's state and answers `ok` when all serve, `degraded`
 * (still 200) when some do, and 503 `unavailable` only when none does. Every edge shares the same
 * backends, so one of them being down is the same for all edges: taking them all out of the load
 * balancer would turn a partial outage (bookings refused, pages still served from the other
 * services and the caches) into a total one. An edge that reaches no backend at all is most likely
 * cut off on its own, and is taken out. `npm start` and the test stacks wait for `ok`.
 * GET /livez (liveness): 200 while this process answers HTTP at all — a backend outage must never
 * get an edge restarted, or every edge pod would be killed at once.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  const backends = {
    catalog: deps.config.CATALOG_SERVICE_ADDR,
    search: deps.config.SEARCH_SERVICE_ADDR,
    inventory: deps.config.INVENTORY_SERVICE_ADDR,
    // Joining, status and admission for waiting-room events all go through it.
    queue: deps.config.QUEUE_SERVICE_ADDR,
  };
  const clients = Object.entries(backends).map(
    ([name, baseUrl]) =>
      [name, createClient(Health, createGrpcTransport({ baseUrl, defaultTimeoutMs: 1000 }))] as const,
  );
  app.get("/livez", async (_request, reply) =>
    reply.header("cache-control", "no-store").send({ status: "ok" }),
  );
  app.get("/healthz", async (_request, reply) => {
    const results = await Promise.all(
      clients.map(async ([name, client]) => {
        const status = await client.check({ service: "" }).then(
          (r) => r.status,
          () => Status.UNKNOWN,
        );
        return [name, status === Status.SERVING ? "serving" : "not serving"] as const;
      }),
    );
    const services = Object.fromEntries(results);
    const serving = results.filter(([, s]) => s === "serving").length;
    const status = serving === results.length ? "ok" : serving > 0 ? "degraded" : "unavailable";
    return reply
      .code(status === "unavailable" ? 503 : 200)
      .header("cache-control", "no-store")
      .send({ status, services });
  });
}
