// The whole system in one process for integration tests: a fresh database with every migration,
// a Redis key prefix of its own, the three services and the edge on free ports.

import { createTestDatabase, createTestRedisPrefix, type TestDatabase, testRedisUrl } from "#platform";
import { migrateAll } from "../../scripts/migrate.ts";
import { loadCatalogConfig } from "../../services/catalog/src/config.ts";
import { build as buildCatalog } from "../../services/catalog/src/main.ts";
import { loadInventoryConfig } from "../../services/inventory/src/config.ts";
import { build as buildInventory } from "../../services/inventory/src/main.ts";
import { loadSearchConfig } from "../../services/search/src/config.ts";
import { build as buildSearch } from "../../services/search/src/main.ts";
import { loadEdgeConfig } from "../src/config.ts";
import { build as buildEdge } from "../src/main.ts";

export interface TestStack {
  edgeUrl: string;
  catalogUrl: string;
  searchUrl: string;
  inventoryUrl: string;
  databaseUrl: string;
  redisPrefix: string;
  db: TestDatabase;
  edge: Awaited<ReturnType<typeof buildEdge>>;
  close(): Promise<void>;
}

/** Starts everything; `env` overrides any variable (e.g. LARGE_VENUE_SEATS, EDGE_MICROCACHE_MS). */
export async function startTestStack(label: string, env: Record<string, string> = {}): Promise<TestStack> {
  const db = await createTestDatabase(label);
  const redis = createTestRedisPrefix(label);
  await migrateAll(db.url);
  const base = {
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: redis.prefix,
    LOG_LEVEL: "silent",
    PORT: "0",
    HOST: "127.0.0.1",
    ...env,
  };
  const catalog = await buildCatalog(loadCatalogConfig(base));
  const inventory = await buildInventory(loadInventoryConfig({ CATALOG_SERVICE_ADDR: catalog.url, ...base }));
  const search = await buildSearch(
    loadSearchConfig({ CATALOG_SERVICE_ADDR: catalog.url, INVENTORY_SERVICE_ADDR: inventory.url, ...base }),
  );
  const edge = await buildEdge(
    loadEdgeConfig({
      AUTH_MODE: "local",
      CATALOG_SERVICE_ADDR: catalog.url,
      SEARCH_SERVICE_ADDR: search.url,
      INVENTORY_SERVICE_ADDR: inventory.url,
      ...base,
    }),
  );
  const edgeUrl = await edge.app.listen({ port: 0, host: "127.0.0.1" });
  await waitUntilHealthy(edgeUrl);
  return {
    edgeUrl,
    catalogUrl: catalog.url,
    searchUrl: search.url,
    inventoryUrl: inventory.url,
    databaseUrl: db.url,
    redisPrefix: redis.prefix,
    db,
    edge,
    async close() {
      await edge.close();
      await Promise.all([search.close(), inventory.close()]);
      await catalog.close();
      await redis.clear();
      await db.drop();
    },
  };
}

/** Signs in through the edge (local mode) and returns the bearer token. */
export async function login(edgeUrl: string, email: string): Promise<string> {
  const res = await fetch(`${edgeUrl}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Like `npm start`: ready once /healthz says every service serves (search has built its index). */
async function waitUntilHealthy(edgeUrl: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fetch(`${edgeUrl}/healthz`)).ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the stack did not become healthy within ${timeoutMs} ms`);
}
