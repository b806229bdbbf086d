import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { FastifyInstance } from "fastify";
import { Health, HealthCheckResponse_ServingStatus as Status } from "#gen/grpc/health/v1/health_pb.js";
import type { EdgeDeps } from "../deps.ts";

/**
 * GET /healthz (readiness): 200 when every backend service answers SERVING, else 503 naming the
 * ones that don't. GET /livez (liveness): 200 while this process answers HTTP at all — a backend
 * outage must take an edge out of the load balancer, never get it restarted, or every edge pod
 * would be killed at once while PostgreSQL or a service is down.
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
    const ok = results.every(([, s]) => s === "serving");
    return reply
      .code(ok ? 200 : 503)
      .header("cache-control", "no-store")
      .send({ status: ok ? "ok" : "unavailable", services });
  });
}
