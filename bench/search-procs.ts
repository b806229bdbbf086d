// The services under test as child processes (one process each, as deployed), so the load driver
// does not share their event loop: Search on the benchmark database, and the edge in front of it.
// They run from their bundles: call buildAll() first.
import { join } from "node:path";
import { testIdentityEnv } from "#platform/testing";
import { benchJwtSecret, serving, startOnFreePort } from "./common/child.ts";

const logDir = join(import.meta.dirname, "results");

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
  const common = {
    DATABASE_URL: o.databaseUrl,
    REDIS_KEY_PREFIX: o.redisPrefix,
    LOG_LEVEL: "warn",
    ...testIdentityEnv(),
  };
  const search = await startOnFreePort(
    "search-service",
    "services/search/src/main.ts",
    {
      ...common,
      SEARCH_CACHE_TTL_SECONDS: String(o.searchCacheTtlS),
      DATABASE_POOL_MAX: String(o.searchDbPool),
    },
    logDir,
    serving,
  );
  try {
    const edge = await startOnFreePort(
      "search-edge",
      "edge/src/main.ts",
      {
        ...common,
        AUTH_MODE: "jwt",
        JWT_SECRET: benchJwtSecret,
        SEARCH_SERVICE_ADDR: search.url,
        CATALOG_SERVICE_ADDR: "http://127.0.0.1:1",
        INVENTORY_SERVICE_ADDR: "http://127.0.0.1:1",
        EDGE_MICROCACHE_MS: String(o.edgeMicrocacheMs),
      },
      logDir,
      async (url) => (await fetch(`${url}/events/search?keyword=warmup`)).ok,
    );
    return {
      edgeUrl: edge.url,
      pids: { search: search.child.process.pid ?? 0, edge: edge.child.process.pid ?? 0 },
      async stop() {
        await edge.child.stop();
        await search.child.stop();
      },
    };
  } catch (err) {
    await search.child.stop();
    throw err;
  }
}
