// The whole system in one process, for integration tests and benchmarks: a fresh database with
// every migration, a Redis key prefix of its own, the services and the edge on free ports.

import { randomUUID } from "node:crypto";
import pg from "pg";
import { generateAdmissionKeys } from "#platform";
import {
  createTestDatabase,
  createTestRedisPrefix,
  type TestDatabase,
  type TestRedisPrefix,
  testIdentityEnv,
  testRedisUrl,
} from "#platform/testing";
import { loadEdgeConfig } from "../../edge/src/config.ts";
import { build as buildEdge } from "../../edge/src/main.ts";
import { loadCatalogConfig } from "../../services/catalog/src/config.ts";
import { build as buildCatalog } from "../../services/catalog/src/main.ts";
import { loadInventoryConfig } from "../../services/inventory/src/config.ts";
import { build as buildInventory } from "../../services/inventory/src/main.ts";
import { loadQueueConfig } from "../../services/queue/src/config.ts";
import { build as buildQueue } from "../../services/queue/src/main.ts";
import { loadSearchConfig } from "../../services/search/src/config.ts";
import { build as buildSearch } from "../../services/search/src/main.ts";
import { migrateAll } from "../migrate.ts";
import { everyServiceServing } from "./serving.ts";

export interface TestStack {
  edgeUrl: string;
  catalogUrl: string;
  searchUrl: string;
  inventoryUrl: string;
  queueUrl: string;
  /** This run's admission-token key pair (the queue signs, inventory and the edge verify). */
  admissionKeys: { signingKey: string; publicKeys: string };
  queue: Awaited<ReturnType<typeof buildQueue>>;
  databaseUrl: string;
  redisPrefix: string;
  db: TestDatabase;
  edge: Awaited<ReturnType<typeof buildEdge>>;
  close(): Promise<void>;
}

export interface TestEnv {
  db: TestDatabase;
  redis: TestRedisPrefix;
  /** The variables every service of the stack starts with: its database, Redis prefix, quiet logs, port 0 on 127.0.0.1. */
  base: Record<string, string>;
}

/**
 * What a stack runs on: a fresh database with every migration and a Redis key prefix of its own;
 * `env` overrides any variable of `base`. The caller clears the prefix and drops the database.
 */
export async function startTestEnv(label: string, env: Record<string, string> = {}): Promise<TestEnv> {
  const db = await createTestDatabase(label);
  const redis = createTestRedisPrefix(label);
  try {
    await migrateAll(db.url);
  } catch (err) {
    await db.drop();
    throw err;
  }
  const base = {
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: redis.prefix,
    LOG_LEVEL: "silent",
    PORT: "0",
    HOST: "127.0.0.1",
    ...testIdentityEnv(),
    // Tests sign in many users from one address; edge/test/rate-limits.test.ts turns them on.
    RATE_LIMITS: "false",
    ...env,
  };
  return { db, redis, base };
}

/** Starts everything; `env` overrides any variable (e.g. LARGE_VENUE_SEATS, EDGE_MICROCACHE_MS). */
export async function startTestStack(label: string, env: Record<string, string> = {}): Promise<TestStack> {
  const admissionKeys = await generateAdmissionKeys();
  const { db, redis, base } = await startTestEnv(label, {
    ADMISSION_PUBLIC_KEYS: admissionKeys.publicKeys,
    ADMISSION_SIGNING_KEY: admissionKeys.signingKey,
    QUEUE_TICK_MS: "100",
    ...env,
  });
  const catalog = await buildCatalog(loadCatalogConfig(base));
  const inventory = await buildInventory(loadInventoryConfig({ CATALOG_SERVICE_ADDR: catalog.url, ...base }));
  const queue = await buildQueue(
    loadQueueConfig({ CATALOG_SERVICE_ADDR: catalog.url, INVENTORY_SERVICE_ADDR: inventory.url, ...base }),
  );
  const search = await buildSearch(
    loadSearchConfig({ CATALOG_SERVICE_ADDR: catalog.url, INVENTORY_SERVICE_ADDR: inventory.url, ...base }),
  );
  const edge = await buildEdge(
    loadEdgeConfig({
      AUTH_MODE: "local",
      CATALOG_SERVICE_ADDR: catalog.url,
      SEARCH_SERVICE_ADDR: search.url,
      INVENTORY_SERVICE_ADDR: inventory.url,
      QUEUE_SERVICE_ADDR: queue.url,
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
    queueUrl: queue.url,
    admissionKeys,
    queue,
    databaseUrl: db.url,
    redisPrefix: redis.prefix,
    db,
    edge,
    async close() {
      await edge.close();
      await queue.close();
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
    if (await everyServiceServing(edgeUrl)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the stack did not become healthy within ${timeoutMs} ms`);
}

/** Tickets of a fresh event written the way the seed script writes them: raw SQL, defaults for the rest. */
export async function seedTickets(
  databaseUrl: string,
  count: number,
): Promise<{ eventId: string; ticketIds: string[] }> {
  const eventId = randomUUID();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `insert into inventory.ticket (id, event_id, section_id, row_label, seat, price_cents, currency, status, version)
       select gen_random_uuid(), $1, $2, 'A', s, 2500, 'USD', 'AVAILABLE', 1 from generate_series(1, $3) s
       returning id`,
      [eventId, randomUUID(), count],
    );
    // On sale until it starts in thirty days, as provisioning would have copied from the catalog.
    await client.query(
      `insert into inventory.event_sale (event_id, status, starts_at, version)
       values ($1, 'ON_SALE', now() + interval '30 days', 1)`,
      [eventId],
    );
    return { eventId, ticketIds: rows.map((r) => r.id) };
  } finally {
    await client.end();
  }
}
