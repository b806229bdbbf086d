// Child process of `npm run bench:booking`: the system laid out as in production — the edge and
// the inventory service each in a process of its own running its bundle from dist/ (so the two
// cores are both used), catalog and search in this process (the booking path never calls them;
// the edge's health check does). A fresh database with every migration and a Redis key prefix of its own. Prints one JSON line
// with the URLs, then runs until SIGTERM and cleans everything up.
import { type ChildProcess, spawn } from "node:child_process";
import { createTestDatabase, createTestRedisPrefix, freePort, testRedisUrl } from "#platform";
import { buildAll, builtPath, type Entry } from "../scripts/build.ts";
import { migrateAll } from "../scripts/migrate.ts";
import { loadCatalogConfig } from "../services/catalog/src/config.ts";
import { build as buildCatalog } from "../services/catalog/src/main.ts";
import { loadSearchConfig } from "../services/search/src/config.ts";
import { build as buildSearch } from "../services/search/src/main.ts";

const db = await createTestDatabase("bench_booking");
const redis = createTestRedisPrefix("bench_booking");
await migrateAll(db.url);
const base = {
  DATABASE_URL: db.url,
  REDIS_URL: testRedisUrl,
  REDIS_KEY_PREFIX: redis.prefix,
  LOG_LEVEL: "silent",
  HOST: "127.0.0.1",
  EDGE_MICROCACHE_MS: "1000",
  DATABASE_POOL_MAX: "20",
  RECONCILE_INTERVAL_SECONDS: "0",
  ...(process.env.EDGE_SEAT_REFUSAL_MS ? { EDGE_SEAT_REFUSAL_MS: process.env.EDGE_SEAT_REFUSAL_MS } : {}),
};
const catalog = await buildCatalog(loadCatalogConfig({ ...base, PORT: "0" }));
const inventoryPort = await freePort();
const inventoryUrl = `http://127.0.0.1:${inventoryPort}`;
const search = await buildSearch(
  loadSearchConfig({
    ...base,
    PORT: "0",
    CATALOG_SERVICE_ADDR: catalog.url,
    INVENTORY_SERVICE_ADDR: inventoryUrl,
  }),
);

const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.build/prof"] : [];
const children: ChildProcess[] = [];
// The bundles a deployment runs (dist/, `npm run build`), not the TypeScript sources through tsx.
await buildAll();
function start(entry: Entry, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [...profile, "--enable-source-maps", builtPath(entry)], {
    env: { ...process.env, ...base, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  return child;
}
start("services/inventory/src/main.ts", { PORT: String(inventoryPort), CATALOG_SERVICE_ADDR: catalog.url });
const edgePort = await freePort();
const edgeUrl = `http://127.0.0.1:${edgePort}`;
start("edge/src/main.ts", {
  PORT: String(edgePort),
  AUTH_MODE: "local",
  CATALOG_SERVICE_ADDR: catalog.url,
  SEARCH_SERVICE_ADDR: search.url,
  INVENTORY_SERVICE_ADDR: inventoryUrl,
});

let closing = false;
/** Stops the children (they drain), the in-process services, and drops what the run created. */
const close = async (code = 0) => {
  if (closing) return;
  closing = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve(undefined);
          child.once("exit", resolve);
          child.kill("SIGTERM");
        }),
    ),
  );
  await search.close();
  await catalog.close();
  await redis.clear();
  await db.drop();
  process.exit(code);
};

const deadline = Date.now() + 30_000;
for (;;) {
  const ok = await fetch(`${edgeUrl}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (Date.now() > deadline || children.some((c) => c.exitCode !== null)) {
    process.stderr.write("the bench stack did not become healthy within 30 s (or a service exited)\n");
    await close(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}

process.stdout.write(`${JSON.stringify({ edgeUrl, databaseUrl: db.url })}\n`);
for (const signal of ["SIGTERM", "SIGINT", "disconnect"] as const) process.on(signal, () => close());
