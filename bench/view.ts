// `npm run bench:view`: the hot event page under load, against a bare Fastify baseline measured
// in the same run. Catalog, inventory and edge run as separate child processes (one per service,
// as deployed); autocannon runs in this process. Everything shares the machine's cores with
// PostgreSQL and Redis, so figures are read as ratios to (a).
//   (a) bare Fastify GET /hello
//   (b) GET /events/{id} through the edge, all caches on (edge micro-cache, catalog Redis cache)
//   (c) the same with the edge micro-cache, its availability cache and the catalog Redis cache
//       off (PostgreSQL path); request coalescing on: concurrent identical loads share one
//       catalog and one inventory call in flight, nothing is kept after it settles
//   (c0) as (c) with coalescing off too: every request its own PostgreSQL reads
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBinary } from "@bufbuild/protobuf";
import pg from "pg";
import { CatalogService, GetEventResponseSchema } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { serviceClient } from "#platform";
import { createTestDatabase, createTestRedisPrefix, testIdentityEnv, testRedisUrl } from "#platform/testing";
import { buildAll } from "../scripts/build.ts";
import { migrateAll } from "../scripts/migrate.ts";
import { type Child, startHelloServer } from "./common/child.ts";
import { perRequest, pidsOf, startCpuCount } from "./common/cpu.ts";
import { measure } from "./common/load.ts";
import { machineInfo } from "./common/machine.ts";
import { table } from "./common/report.ts";
import { seedHotEvent } from "./lib-view/data.ts";
import { startEdge, startService } from "./lib-view/services.ts";

const durationS = Number(process.env.BENCH_DURATION_S ?? 10);
const warmupS = Number(process.env.BENCH_WARMUP_S ?? 3);
const connections = 100;
const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Measures `url` and reports CPU milliseconds per request of each named process during the run
 * ("postgres" counts every backend on the machine, so other work on it shows up there).
 */
async function measureWithCpu(
  url: string,
  processes: Record<string, Child>,
  options: { edgeLog?: string; settleMs?: number } = {},
) {
  // PostgreSQL publishes a busy backend's counters about once a second, an idle one's within
  // ten seconds: the uncached cases wait that long around the measured run to count exactly.
  const settleMs = options.settleMs ?? 1500;
  const degradedLines = () =>
    options.edgeLog ? readFileSync(options.edgeLog, "utf8").split("did not answer").length - 1 : 0;
  const groups = {
    ...Object.fromEntries(
      Object.entries(processes).map(([name, child]) => [name, () => [child.process.pid ?? -1]]),
    ),
    "load generator": () => [process.pid],
    postgres: () => pidsOf("postgres"),
  };
  // Warm-up on its own, then a pause, so the count read after it covers the warm-up and nothing
  // of the measured run.
  if (warmupS > 0) await measure(url, { connections, durationS: warmupS });
  await sleep(settleMs);
  const transactionsBefore = await transactions();
  const stop = startCpuCount(groups);
  const degradedBefore = degradedLines();
  const result = await measure(url, { connections, durationS });
  const used = stop();
  // Pages served without a part whose backend did not answer in time (2xx, but not complete).
  const degraded = degradedLines() - degradedBefore;
  await sleep(settleMs);
  const pgTransactionsPerRequest =
    Math.round((((await transactions()) - transactionsBefore) / Math.max(1, result.requests)) * 1000) / 1000;
  return {
    ...result,
    cpuMsPerRequest: perRequest(used, result.requests),
    pgTransactionsPerRequest,
    degraded,
  };
}

/** `calls` GetEvent calls, 100 in flight, from this process: rate and CPU ms per call. */
async function catalogCalls(catalog: { url: string; child: Child }, eventId: string, omitSeatRows: boolean) {
  const client = serviceClient(CatalogService, catalog.url);
  const run = async (calls: number) => {
    let started = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (started++ < calls) await client.getEvent({ eventId, omitSeatRows });
      }),
    );
  };
  await run(1000);
  const calls = 4000;
  const stopCount = startCpuCount({
    catalog: () => [catalog.child.process.pid ?? -1],
    postgres: () => pidsOf("postgres"),
    "client (decode)": () => [process.pid],
  });
  const t0 = performance.now();
  await run(calls);
  const seconds = (performance.now() - t0) / 1000;
  const used = stopCount();
  const bytes = toBinary(GetEventResponseSchema, await client.getEvent({ eventId, omitSeatRows })).byteLength;
  return {
    callsPerSec: Math.round(calls / seconds),
    responseBytes: bytes,
    cpuMsPerCall: perRequest(used, calls),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Committed transactions in the benchmark's database (every statement outside a transaction is
 * one): how many PostgreSQL reads each request really caused. Read over a connection to another
 * database, so reading does not count itself.
 */
let stats: { client: pg.Client; name: string } | undefined;
async function transactions(): Promise<number> {
  if (!stats) return 0;
  const { rows } = await stats.client.query<{ n: string }>(
    "select xact_commit::text as n from pg_stat_database where datname = $1",
    [stats.name],
  );
  return Number(rows[0]?.n ?? 0);
}

await buildAll(); // the services run from their bundles, as deployed
const logDir = mkdtempSync(join(tmpdir(), "bench-view-"));
const db = await createTestDatabase("bench_view");
const redis = createTestRedisPrefix("bench_view");
const children: Child[] = [];
const stop = async (child: Child) => {
  await child.stop();
  children.splice(children.indexOf(child), 1);
};

try {
  const machineBefore = machineInfo();
  log(`logs in ${logDir}; load average ${machineBefore.loadavg.join(" ")}`);
  await migrateAll(db.url);
  const statsUrl = new URL(db.url);
  const name = decodeURIComponent(statsUrl.pathname.slice(1));
  statsUrl.pathname = "/postgres";
  stats = { client: new pg.Client({ connectionString: statsUrl.toString() }), name };
  await stats.client.connect();
  const common = {
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: redis.prefix,
    // Per-RPC info lines would measure pino and the log pipe, not the view path.
    LOG_LEVEL: "warn",
    ...testIdentityEnv(),
  };

  // (a) bare Fastify
  const hello = await startHelloServer(logDir);
  children.push(hello.child);
  log("(a) bare Fastify …");
  const a = await measureWithCpu(`${hello.url}/hello`, { hello: hello.child });
  await stop(hello.child);

  // Services for (b): everything cached.
  const catalogB = await startService("catalog", { ...common, CATALOG_CACHE: "true" }, logDir);
  const inventory = await startService(
    "inventory",
    { ...common, CATALOG_SERVICE_ADDR: catalogB.url },
    logDir,
  );
  children.push(catalogB.child, inventory.child);
  const hot = await seedHotEvent(catalogB.url, inventory.url);
  log(`hot event ${hot.eventId}: ${hot.capacity} seats in ${hot.sections} sections`);
  const edgeEnv = {
    ...common,
    CATALOG_SERVICE_ADDR: catalogB.url,
    INVENTORY_SERVICE_ADDR: inventory.url,
    SEARCH_SERVICE_ADDR: "http://127.0.0.1:1",
  };
  const edgeB = await startEdge({ ...edgeEnv, EDGE_MICROCACHE_MS: "1000" }, logDir);
  children.push(edgeB.child);
  const page = await fetch(`${edgeB.url}/events/${hot.eventId}`);
  const pageBytes = (await page.arrayBuffer()).byteLength;
  log(`(b) hot event page, all caches on (${pageBytes} bytes) …`);
  const b = await measureWithCpu(
    `${edgeB.url}/events/${hot.eventId}`,
    { edge: edgeB.child, catalog: catalogB.child, inventory: inventory.child },
    { edgeLog: join(logDir, "edge.log") },
  );
  await stop(edgeB.child);
  await stop(catalogB.child);

  // (c), (c0): no edge micro-cache, no availability cache, no catalog Redis cache: every answer
  // comes from PostgreSQL reads. (c) shares identical reads in flight; (c0) does not.
  const catalogC = await startService("catalog", { ...common, CATALOG_CACHE: "false" }, logDir);
  children.push(catalogC.child);
  const uncached = async (coalesce: boolean) => {
    const edge = await startEdge(
      {
        ...edgeEnv,
        CATALOG_SERVICE_ADDR: catalogC.url,
        EDGE_MICROCACHE_MS: "0",
        EDGE_AVAILABILITY_CACHE_MS: "0",
        EDGE_COALESCE: String(coalesce),
      },
      logDir,
    );
    children.push(edge.child);
    const res = await fetch(`${edge.url}/events/${hot.eventId}`);
    if (res.headers.get("cache-control") !== "no-cache" || (await res.arrayBuffer()).byteLength !== pageBytes)
      throw new Error("the uncached edge does not serve the same page");
    const run = await measureWithCpu(
      `${edge.url}/events/${hot.eventId}`,
      { edge: edge.child, catalog: catalogC.child, inventory: inventory.child },
      { edgeLog: join(logDir, "edge.log"), settleMs: 10_500 },
    );
    await stop(edge.child);
    return run;
  };
  log("(c) micro-cache and Redis cache off, coalescing on …");
  const c = await uncached(true);
  log("(c0) micro-cache, Redis cache and coalescing off …");
  const c0 = await uncached(false);
  // What the seat rows cost on the catalog path: GetEvent straight at the catalog (no Redis
  // cache), 100 calls in flight, with and without `omit_seat_rows`.
  log("catalog GetEvent with and without seat rows …");
  const getEvent = {
    withRows: await catalogCalls(catalogC, hot.eventId, false),
    withoutRows: await catalogCalls(catalogC, hot.eventId, true),
  };

  const runs = [
    { id: "a", label: "bare Fastify GET /hello", ...a },
    { id: "b", label: "event page, all caches on", ...b },
    { id: "c", label: "event page, caches off, coalescing on", ...c },
    { id: "c0", label: "event page, caches and coalescing off", ...c0 },
  ].map((r) => ({ ...r, ratio: Math.round((r.reqPerSec / a.reqPerSec) * 1000) / 1000 }));
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  process.stdout.write(
    `\n${table(
      ["run", "req/s", "p50 ms", "p99 ms", "vs (a)", "non-2xx", "errors", "degraded"],
      runs.map((r) => [
        `(${r.id}) ${r.label}`,
        r.reqPerSec,
        r.p50Ms,
        r.p99Ms,
        pct(r.ratio),
        r.non2xx,
        r.errors,
        r.degraded,
      ]),
    )}\n`,
  );
  const rb = { ...b, ratio: b.reqPerSec / a.reqPerSec };
  const rc = { ...c, ratio: c.reqPerSec / a.reqPerSec };
  const rc0 = { ...c0, ratio: c0.reqPerSec / a.reqPerSec };
  const targets = {
    b: { ratioAtLeast: 0.5, p99AtMostMs: 50, met: rb.ratio >= 0.5 && rb.p99Ms <= 50 },
    c: { ratioAtLeast: 0.1, met: rc.ratio >= 0.1 },
    c0: { ratioAtLeast: 0.1, met: rc0.ratio >= 0.1 },
  };
  process.stdout.write(
    `\nCPU ms per request:\n${runs
      .map(
        (r) =>
          `  (${r.id}) ${Object.entries(r.cpuMsPerRequest)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}; PostgreSQL transactions ${r.pgTransactionsPerRequest}`,
      )
      .join("\n")}\n`,
  );
  process.stdout.write(
    `\ncatalog GetEvent, ${connections} in flight (CPU ms per call):\n${Object.entries(getEvent)
      .map(
        ([k, r]) =>
          `  ${k}: ${r.callsPerSec} calls/s, ${r.responseBytes} bytes, ${Object.entries(r.cpuMsPerCall)
            .map(([p, v]) => `${p} ${v}`)
            .join(", ")}`,
      )
      .join("\n")}\n`,
  );
  process.stdout.write(
    `targets: (b) ≥ 50 % and p99 ≤ 50 ms: ${targets.b.met ? "met" : "MISSED"}; (c) ≥ 10 %: ${targets.c.met ? "met" : "MISSED"}; (c0) ≥ 10 %: ${targets.c0.met ? "met" : "MISSED"}\n`,
  );
  const result = {
    benchmark: "view",
    date: new Date().toISOString(),
    machine: { ...machineInfo(), loadavgBefore: machineBefore.loadavg },
    setup: {
      connections,
      durationS,
      warmupS,
      processes: "hello, catalog, inventory and edge each a child process; autocannon in the parent",
      logLevel: "warn",
      hotEvent: { seats: hot.capacity, sections: hot.sections, pageBytes },
    },
    runs,
    catalogGetEvent: getEvent,
    targets,
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/view.json", `${JSON.stringify(result, null, 2)}\n`);
  log("wrote bench/results/view.json");
} finally {
  await stats?.client.end().catch(() => {});
  for (const child of [...children].reverse()) await child.stop();
  await redis.clear();
  await db.drop();
}
