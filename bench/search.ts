// `npm run bench:search`: the search benchmark of issue 4. One run measures, on the same index
// (default 1,000,000 synthetic events in a dedicated database):
//   1. raw SQL — the very statements the service sends, straight to PostgreSQL (the baseline);
//   2. the edge with every cache off (REST → edge → gRPC → Search → PostgreSQL);
//   3. the edge with Search's Redis result cache warm (edge micro-cache off);
//   4. the edge with its in-process micro-cache on as well (the production default).
// Each phase: 64 closed-loop clients for 30 s over a fixed mixed query set. Traffic goes to
// 127.0.0.1 only. Results: a table on stdout, bench/results/search.json.
import { writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createRedis } from "#platform";
import { buildAll } from "../scripts/build.ts";
import { createSearchPool } from "../services/search/src/db-pool.ts";
import { machineCpuMs, perRequest, pidsOf, startCpuCount } from "./common/cpu.ts";
import { machineInfo } from "./common/machine.ts";
import { ensureBenchIndex } from "./search-data.ts";
import { type RawClient, rawClient } from "./search-http.ts";
import { type PhaseResult, runPhase } from "./search-load.ts";
import { startSearchStack } from "./search-procs.ts";
import { benchQueries, benchStatements, queryString } from "./search-queries.ts";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    duration: { type: "string", default: "30" },
    concurrency: { type: "string", default: "64" },
    database: { type: "string", default: "ticketing_bench_search" },
    /** Load driver for the edge phases: raw (bench/search-http.ts) or node-http (node:http + Agent). */
    driver: { type: "string", default: "raw" },
    /** PostgreSQL connections of the Search service under test. */
    searchPool: { type: "string", default: "4" },
    /** Comma-separated subset of sql,uncached,redis,micro for short experiments (no JSON written). */
    phases: { type: "string", default: "sql,uncached,redis,micro" },
  },
});
const events = Number(args.events);
const durationMs = Number(args.duration) * 1000;
const concurrency = Number(args.concurrency);
const adminUrl = process.env.BENCH_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const say = (line: string) => process.stderr.write(`${line}\n`);

const databaseUrl = await ensureBenchIndex(adminUrl, args.database as string, events);
await buildAll(); // the edge phases run the services from their bundles, as deployed
const kindOf = (i: number) => benchQueries[i % benchQueries.length]?.kind ?? "?";

async function sqlPhase(): Promise<PhaseResult> {
  const sql = await benchStatements(databaseUrl);
  const pool = createSearchPool(databaseUrl, concurrency);
  try {
    const send = async (i: number) => {
      const s = sql[i % sql.length] as { text: string; values: unknown[] };
      await pool.query(s.text, s.values);
    };
    await runPhase("warm-up", concurrency, 3000, send, kindOf);
    return await measured("raw SQL on PostgreSQL", send, {});
  } finally {
    await pool.end();
  }
}

async function edgePhase(
  name: string,
  searchCacheTtlS: number,
  edgeMicrocacheMs: number,
): Promise<PhaseResult> {
  const redisPrefix = `bench:search:${Date.now()}:`;
  const stack = await startSearchStack({
    databaseUrl,
    redisPrefix,
    searchCacheTtlS,
    edgeMicrocacheMs,
    searchDbPool: Number(args.searchPool),
  });
  const paths = benchQueries.map((bq) => `/events/search?${queryString(bq.params)}`);
  const raw = args.driver === "raw";
  const clients: RawClient[] = raw
    ? await Promise.all(Array.from({ length: concurrency }, () => rawClient(stack.edgeUrl, paths)))
    : [];
  const agent = raw ? undefined : new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const send = raw
    ? async (i: number, c: number) => {
        const status = await (clients[c] as RawClient).get(i);
        if (status !== 200) throw new Error(`HTTP ${status}`);
      }
    : (i: number) =>
        new Promise<void>((resolve, reject) => {
          const req = http.get(`${stack.edgeUrl}${paths[i % paths.length]}`, { agent }, (res) => {
            res.resume();
            res.on("end", () =>
              res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
            );
          });
          req.on("error", reject);
        });
  try {
    await runPhase("warm-up", concurrency, 3000, send, kindOf);
    return await measured(name, send, { search: [stack.pids.search], edge: [stack.pids.edge] });
  } finally {
    for (const client of clients) client.close();
    agent?.destroy();
    await stack.stop();
    const redis = createRedis(redisUrl);
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length > 0) await redis.unlink(...keys);
    redis.disconnect();
  }
}

/** The measured run, with the CPU each process spent on it (ms per request). */
async function measured(
  name: string,
  send: (i: number, c: number) => Promise<void>,
  services: Record<string, number[]>,
): Promise<PhaseResult> {
  const stopCount = startCpuCount({
    ...Object.fromEntries(Object.entries(services).map(([k, pids]) => [k, () => pids])),
    postgres: () => pidsOf("postgres"),
    redis: () => pidsOf("redis-server"),
    "load driver": () => [process.pid],
  });
  const loadBefore = os.loadavg()[0] ?? 0;
  const machineBefore = machineCpuMs();
  const result = await runPhase(name, concurrency, durationMs, send, kindOf);
  const cpu = stopCount();
  result.cpuMsPerRequest = perRequest(cpu, result.requests);
  result.cpuBusyCores =
    Math.round((Object.values(cpu).reduce((a, b) => a + b, 0) / (result.durationS * 1000)) * 100) / 100;
  result.machineBusyCores =
    Math.round(((machineCpuMs() - machineBefore) / (result.durationS * 1000)) * 100) / 100;
  result.loadavg1 = [Math.round(loadBefore * 100) / 100, Math.round((os.loadavg()[0] ?? 0) * 100) / 100];
  return result;
}

const selected = new Set((args.phases as string).split(","));
say(
  `search benchmark: ${events.toLocaleString("en-US")} events, ${concurrency} clients, ${durationMs / 1000} s per phase, ${benchQueries.length} queries`,
);
const phases: PhaseResult[] = [];
for (const [id, label, run] of [
  ["sql", "raw SQL", () => sqlPhase()],
  ["uncached", "edge, uncached", () => edgePhase("edge, uncached (all caches off)", 0, 0)],
  ["redis", "edge, Redis cache", () => edgePhase("edge, Search's Redis result cache warm", 300, 0)],
  ["micro", "edge, micro-cache", () => edgePhase("edge, micro-cache + Redis (defaults)", 300, 1000)],
] as const) {
  if (!selected.has(id)) continue;
  say(`phase: ${label} …`);
  const result = await run();
  phases.push(result);
  say(
    `  ${result.reqPerSec} req/s, p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, p99 ${result.p99Ms} ms, errors ${result.errors}; CPU ms/request ${JSON.stringify(result.cpuMsPerRequest)}, busy cores ${result.cpuBusyCores} (machine ${result.machineBusyCores}), load ${result.loadavg1}`,
  );
}
if (phases.length < 4) process.exit(0);

const [sql, uncached, redisCached, micro] = phases as [PhaseResult, PhaseResult, PhaseResult, PhaseResult];
const pgVersion = await (async () => {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ v: string; size: string }>(
      "select version() as v, pg_size_pretty(pg_total_relation_size('search.event_doc')) as size",
    );
    return rows[0];
  } finally {
    await c.end();
  }
})();
// The shared machine facts under this benchmark's JSON keys (no `os`; the load average at the end).
const { os: _os, loadavg, ...machine } = machineInfo();
const targets = {
  uncachedP95Le100: uncached.p95Ms <= 100,
  uncachedP99Le300: uncached.p99Ms <= 300,
  cachedP95Le10: micro.p95Ms <= 10,
  redisCachedP95Le10: redisCached.p95Ms <= 10,
  edgeP95Le2xRawSql: uncached.p95Ms <= 2 * sql.p95Ms,
};
const result = {
  benchmark: "search",
  ranAt: new Date().toISOString(),
  machine: { ...machine, postgres: pgVersion?.v, loadavgAtEnd: loadavg },
  index: { events, tableSize: pgVersion?.size, database: args.database },
  load: { concurrency, durationS: durationMs / 1000, queries: benchQueries },
  phases,
  ratios: { edgeUncachedP95OverRawSqlP95: Math.round((uncached.p95Ms / sql.p95Ms) * 100) / 100 },
  targets,
};
writeFileSync(join(import.meta.dirname, "results/search.json"), `${JSON.stringify(result, null, 2)}\n`);

const pad = (s: string | number, n: number) => String(s).padStart(n);
process.stdout.write(
  `\n${"phase".padEnd(44)}${pad("req/s", 9)}${pad("p50 ms", 9)}${pad("p95 ms", 9)}${pad("p99 ms", 9)}${pad("errors", 8)}\n`,
);
for (const p of phases) {
  process.stdout.write(
    `${p.name.padEnd(44)}${pad(p.reqPerSec, 9)}${pad(p.p50Ms, 9)}${pad(p.p95Ms, 9)}${pad(p.p99Ms, 9)}${pad(p.errors, 8)}\n`,
  );
}
process.stdout.write(`\nedge uncached p95 / raw SQL p95 = ${result.ratios.edgeUncachedP95OverRawSqlP95}\n`);
process.stdout.write(`targets: ${JSON.stringify(targets)}\nwrote bench/results/search.json\n`);
