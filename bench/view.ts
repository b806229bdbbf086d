// `npm run bench:view`: the hot event page under load, against a bare Fastify baseline measured
// in the same run. Catalog, inventory and edge run as separate child processes (one per service,
// as deployed); autocannon runs in this process. Everything shares the machine's cores with
// PostgreSQL and Redis, so figures are read as ratios to (a).
//   (a) bare Fastify GET /hello
//   (b) GET /events/{id} through the edge, all caches on (edge micro-cache, catalog Redis cache)
//   (c) the same with the edge micro-cache and the catalog Redis cache off (PostgreSQL path)
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, createTestRedisPrefix, testRedisUrl } from "#platform";
import { migrateAll } from "../scripts/migrate.ts";
import { type Child, freePort, startChild, waitUntil } from "./common/child.ts";
import { pidsOf, startCpuCount } from "./common/cpu.ts";
import { type LoadResult, measure } from "./common/load.ts";
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
async function measureWithCpu(url: string, processes: Record<string, Child>) {
  let stop: () => Record<string, number> = () => ({});
  const groups = {
    ...Object.fromEntries(
      Object.entries(processes).map(([name, child]) => [name, () => [child.process.pid ?? -1]]),
    ),
    "load generator": () => [process.pid],
    postgres: () => pidsOf("postgres"),
  };
  const result: LoadResult = await measure(url, {
    connections,
    durationS,
    warmupS,
    onMeasureStart: () => {
      stop = startCpuCount(groups);
    },
  });
  const used = stop();
  const perRequest = Object.fromEntries(
    Object.entries(used).map(([name, ms]) => [
      name,
      Math.round((ms / Math.max(1, result.requests)) * 1000) / 1000,
    ]),
  );
  return { ...result, cpuMsPerRequest: perRequest };
}

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
  const common = {
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: redis.prefix,
    // Per-RPC info lines would measure pino and the log pipe, not the view path.
    LOG_LEVEL: "warn",
  };

  // (a) bare Fastify
  const helloPort = await freePort();
  const hello = startChild("hello", "bench/common/hello-server.ts", { PORT: String(helloPort) }, logDir);
  children.push(hello);
  const helloUrl = `http://127.0.0.1:${helloPort}/hello`;
  await waitUntil("hello", async () => (await fetch(helloUrl)).ok);
  log("(a) bare Fastify …");
  const a = await measureWithCpu(helloUrl, { hello });
  await stop(hello);

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
  const b = await measureWithCpu(`${edgeB.url}/events/${hot.eventId}`, {
    edge: edgeB.child,
    catalog: catalogB.child,
    inventory: inventory.child,
  });
  await stop(edgeB.child);
  await stop(catalogB.child);

  // (c): no edge micro-cache, no catalog Redis cache: every request reads PostgreSQL.
  const catalogC = await startService("catalog", { ...common, CATALOG_CACHE: "false" }, logDir);
  children.push(catalogC.child);
  const edgeC = await startEdge(
    { ...edgeEnv, CATALOG_SERVICE_ADDR: catalogC.url, EDGE_MICROCACHE_MS: "0" },
    logDir,
  );
  children.push(edgeC.child);
  log("(c) micro-cache and Redis cache off …");
  const c = await measureWithCpu(`${edgeC.url}/events/${hot.eventId}`, {
    edge: edgeC.child,
    catalog: catalogC.child,
    inventory: inventory.child,
  });

  const runs = [
    { id: "a", label: "bare Fastify GET /hello", ...a },
    { id: "b", label: "event page, all caches on", ...b },
    { id: "c", label: "event page, micro-cache + Redis cache off", ...c },
  ].map((r) => ({ ...r, ratio: Math.round((r.reqPerSec / a.reqPerSec) * 1000) / 1000 }));
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  process.stdout.write(
    `\n${table(
      ["run", "req/s", "p50 ms", "p99 ms", "vs (a)", "non-2xx", "errors"],
      runs.map((r) => [
        `(${r.id}) ${r.label}`,
        r.reqPerSec,
        r.p50Ms,
        r.p99Ms,
        pct(r.ratio),
        r.non2xx,
        r.errors,
      ]),
    )}\n`,
  );
  const rb = { ...b, ratio: b.reqPerSec / a.reqPerSec };
  const rc = { ...c, ratio: c.reqPerSec / a.reqPerSec };
  const targets = {
    b: { ratioAtLeast: 0.5, p99AtMostMs: 50, met: rb.ratio >= 0.5 && rb.p99Ms <= 50 },
    c: { ratioAtLeast: 0.1, met: rc.ratio >= 0.1 },
  };
  process.stdout.write(
    `\nCPU ms per request:\n${runs
      .map(
        (r) =>
          `  (${r.id}) ${Object.entries(r.cpuMsPerRequest)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}`,
      )
      .join("\n")}\n`,
  );
  process.stdout.write(
    `targets: (b) ≥ 50 % and p99 ≤ 50 ms: ${targets.b.met ? "met" : "MISSED"}; (c) ≥ 10 %: ${targets.c.met ? "met" : "MISSED"}\n`,
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
    targets,
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/view.json", `${JSON.stringify(result, null, 2)}\n`);
  log("wrote bench/results/view.json");
} finally {
  for (const child of [...children].reverse()) await child.stop();
  await redis.clear();
  await db.drop();
}
