// Child process of `npm run bench:booking`: the system laid out as in production — the edge and
// the inventory service each in a process of its own running its bundle from dist/ (so the two
// cores are both used), catalog, search and the queue in this process (the booking path never
// calls them; the edge's health check does). A fresh database with every migration and a Redis key prefix of
// its own. Prints one JSON line with the URLs — the first line on stdout, which bench/booking.ts
// reads — then runs until SIGTERM and cleans everything up. The children's logs go to a
// temporary directory named on stderr.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, generateAdmissionKeys } from "#platform";
import { buildAll } from "../scripts/build.ts";
import { everyServiceServing } from "../scripts/local/serving.ts";
import { startTestEnv } from "../scripts/local/stack.ts";
import { loadCatalogConfig } from "../services/catalog/src/config.ts";
import { build as buildCatalog } from "../services/catalog/src/main.ts";
import { loadQueueConfig } from "../services/queue/src/config.ts";
import { build as buildQueue } from "../services/queue/src/main.ts";
import { loadSearchConfig } from "../services/search/src/config.ts";
import { build as buildSearch } from "../services/search/src/main.ts";
import { type Child, startChild, waitUntil } from "./common/child.ts";

const logDir = mkdtempSync(join(tmpdir(), "bench-booking-"));
process.stderr.write(`bench stack logs in ${logDir}\n`);
const { db, redis, base } = await startTestEnv("bench_booking", {
  EDGE_MICROCACHE_MS: "1000",
  DATABASE_POOL_MAX: "20",
  RECONCILE_INTERVAL_SECONDS: "0",
});
const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.build/prof"] : [];
const children: Child[] = [];
const inProcess: { close(): Promise<void> }[] = [];

let closing: Promise<never> | undefined;
/** Stops the children (they drain), the in-process services, and drops what the run created. */
const close = (code = 0) =>
  (closing ??= (async (): Promise<never> => {
    await Promise.all(children.map((child) => child.stop()));
    for (const service of inProcess.reverse()) await service.close();
    await redis.clear();
    await db.drop();
    process.exit(code);
  })());

/** Starts the services; resolves with the edge's URL once its /healthz says every service serves. */
async function start(): Promise<string> {
  const catalog = await buildCatalog(loadCatalogConfig(base));
  inProcess.push(catalog);
  const inventoryPort = await freePort();
  const inventoryUrl = `http://127.0.0.1:${inventoryPort}`;
  const search = await buildSearch(
    loadSearchConfig({ ...base, CATALOG_SERVICE_ADDR: catalog.url, INVENTORY_SERVICE_ADDR: inventoryUrl }),
  );
  inProcess.push(search);
  // Only for the edge's readiness (/healthz asks the queue too). Its signing key stays here: the
  // edge gets no admission keys, as before, so no booking of this run checks a waiting room at
  // the edge, and the queue's admission step runs as rarely as its config allows.
  const admission = await generateAdmissionKeys();
  const queue = await buildQueue(
    loadQueueConfig({
      ...base,
      CATALOG_SERVICE_ADDR: catalog.url,
      INVENTORY_SERVICE_ADDR: inventoryUrl,
      ADMISSION_SIGNING_KEY: admission.signingKey,
      QUEUE_TICK_MS: "10000",
    }),
  );
  inProcess.push(queue);
  // The bundles a deployment runs (dist/, `npm run build`), not the TypeScript sources through tsx.
  await buildAll();
  const env = { ...base, CATALOG_SERVICE_ADDR: catalog.url };
  children.push(
    startChild(
      "inventory",
      "services/inventory/src/main.ts",
      { ...env, PORT: String(inventoryPort) },
      logDir,
      profile,
    ),
  );
  const edgePort = await freePort();
  const edgeUrl = `http://127.0.0.1:${edgePort}`;
  children.push(
    startChild(
      "edge",
      "edge/src/main.ts",
      {
        ...env,
        PORT: String(edgePort),
        AUTH_MODE: "local",
        SEARCH_SERVICE_ADDR: search.url,
        QUEUE_SERVICE_ADDR: queue.url,
        INVENTORY_SERVICE_ADDR: inventoryUrl,
      },
      logDir,
      profile,
    ),
  );
  await waitUntil("the bench stack", () => everyServiceServing(edgeUrl), children);
  return edgeUrl;
}

const edgeUrl = await start().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  return close(1);
});
process.stdout.write(`${JSON.stringify({ edgeUrl, databaseUrl: db.url })}\n`);
for (const signal of ["SIGTERM", "SIGINT", "disconnect"] as const) process.on(signal, () => close());
