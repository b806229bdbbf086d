// The services under test as child processes (one process each, as deployed), so the load driver
// does not share their event loop: Search on the benchmark database, and the edge in front of it.
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus as Status } from "#gen/grpc/health/v1/health_pb.js";
import { freePort } from "#platform";
import { buildAll, type Entry } from "../scripts/build.ts";
import { startChild } from "./common/child.ts";

export interface Proc {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, "..");

async function start(
  name: string,
  entry: Entry,
  env: Record<string, string>,
  ready: (url: string) => Promise<boolean>,
): Promise<Proc> {
  const port = await freePort();
  const logName = `search-${name}`;
  const child = startChild(
    logName,
    entry,
    { ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" },
    join(root, "bench/results"),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await ready(url).catch(() => false))) {
    if (child.process.exitCode !== null)
      throw new Error(`${name} exited with ${child.process.exitCode}; see bench/results/${logName}.log`);
    if (Date.now() > deadline) throw new Error(`${name} did not start within 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.process.pid ?? 0, stop: () => child.stop() };
}

export interface StackOptions {
  databaseUrl: string;
  redisPrefix: string;
  searchCacheTtlS: number;
  edgeMicrocacheMs: number;
  searchDbPool: number;
}

/** Starts Search, then the edge pointing at it; `stop` stops both. */
export async function startSearchStack(
  o: StackOptions,
): Promise<{ edgeUrl: string; pids: { search: number; edge: number }; stop(): Promise<void> }> {
  const common = { DATABASE_URL: o.databaseUrl, REDIS_KEY_PREFIX: o.redisPrefix };
  await buildAll(); // the services run from their bundles, as deployed
  const search = await start(
    "service",
    "services/search/src/main.ts",
    {
      ...common,
      SEARCH_CACHE_TTL_SECONDS: String(o.searchCacheTtlS),
      DATABASE_POOL_MAX: String(o.searchDbPool),
    },
    // Services speak HTTP/2 only, so the check goes through a gRPC client.
    async (url) => {
      const health = createClient(Health, createGrpcTransport({ baseUrl: url, defaultTimeoutMs: 1000 }));
      return (await health.check({ service: "" })).status === Status.SERVING;
    },
  );
  try {
    const edge = await start(
      "edge",
      "edge/src/main.ts",
      {
        ...common,
        AUTH_MODE: "jwt",
        JWT_SECRET: "benchmark-secret-benchmark-secret-0123456789",
        SEARCH_SERVICE_ADDR: search.url,
        CATALOG_SERVICE_ADDR: "http://127.0.0.1:1",
        INVENTORY_SERVICE_ADDR: "http://127.0.0.1:1",
        EDGE_MICROCACHE_MS: String(o.edgeMicrocacheMs),
      },
      async (url) => (await fetch(`${url}/events/search?keyword=warmup`)).ok,
    );
    return {
      edgeUrl: edge.url,
      pids: { search: search.pid, edge: edge.pid },
      async stop() {
        await edge.stop();
        await search.stop();
      },
    };
  } catch (err) {
    await search.stop();
    throw err;
  }
}
