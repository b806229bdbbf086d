// `npm run bench:surge` (issue 11, benchmark part 1): the waiting room's buyer API through one edge
// process against the same run's bare Fastify, closed-loop clients, the same client count:
//   (a) bare Fastify GET /hello ({"hello":"world"}, the same tiny JSON answer size class)
//   (j) POST /events/{id}/queue, a fresh signed-in buyer per request (a new number each)
//   (s) GET /events/{id}/queue, buyers who joined in (j), polling their place
// and the Redis commands each join and each status costs (bench/common/redis-commands.ts).
// Catalog, inventory, queue, edge and the baseline are child processes run from their bundles; the
// clients run in this process. The room is open with one shopping slot, so everyone who joins
// waits: the state nearly every status read of a real onsale is in.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { generateAdmissionKeys } from "#platform";
import { createTestDatabase, createTestRedisPrefix, testIdentityEnv, testRedisUrl } from "#platform/testing";
import { TokenService } from "../edge/src/identity/tokens.ts";
import { buildAll } from "../scripts/build.ts";
import { migrateAll } from "../scripts/migrate.ts";
import { type Answer, BenchClient, closedLoop, percentile } from "./booking-http.ts";
import { benchJwtSecret, type Child, startHelloServer } from "./common/child.ts";
import { perRequest, pidsOf, startCpuCount } from "./common/cpu.ts";
import { machineInfo } from "./common/machine.ts";
import { commandstatsDelta, prefixCommandsPerCall } from "./common/redis-commands.ts";
import { table } from "./common/report.ts";
import { seedHotEvent } from "./lib-view/data.ts";
import { startEdge, startService } from "./lib-view/services.ts";

const durationS = Number(process.env.BENCH_DURATION_S ?? 10);
const warmupS = Number(process.env.BENCH_WARMUP_S ?? 2);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const clients = Number(process.env.BENCH_CLIENTS ?? 64);
/** Fresh buyers signed per run; a run that joins more than this wraps around (counted as rejoins). */
const buyersPerRun = Number(process.env.BENCH_SURGE_BUYERS ?? 150_000);
const sampleCalls = Number(process.env.BENCH_REDIS_SAMPLE ?? 300);
/** A directory for --cpu-prof profiles of the edge and the queue (unset: no profiling). */
const profileDir = process.env.BENCH_CPU_PROF_DIR;
/** `join` alone (e.g. to profile it): skips the status phase and the MONITOR samples. */
const joinOnly = process.env.BENCH_PHASES === "join";
const targets = { join: 0.25, status: 0.5 };
const log = (line: string) => process.stderr.write(`${line}\n`);

const tokens = new TokenService(benchJwtSecret, "ticketing", 3600);
const sign = (n: number, run: number) =>
  tokens.sign({
    userId: `00000000-0000-4000-8${String(run).padStart(3, "0")}-${String(n).padStart(12, "0")}`,
    role: "user",
  });

interface Phase {
  reqPerSec: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  cpuMsPerRequest: Record<string, number>;
  redisCommandsPerRequest: number;
  redisBackgroundPerSecond: number;
}

async function phase(
  redis: Redis,
  cpu: Parameters<typeof startCpuCount>[0],
  work: (client: number, i: number) => Promise<Answer>,
  ok: (a: Answer) => boolean,
): Promise<Phase> {
  if (warmupS > 0) await closedLoop(clients, warmupS * 1000, work);
  await sleep(500);
  let result: Awaited<ReturnType<typeof closedLoop>> | undefined;
  let used: Record<string, number> = {};
  const redisCount = await commandstatsDelta(redis, 2000, async () => {
    const stop = startCpuCount(cpu);
    result = await closedLoop(clients, durationS * 1000, work);
    used = stop();
  });
  const { answers, seconds } = result as NonNullable<typeof result>;
  const ms = answers.map((a) => a.ms);
  return {
    reqPerSec: Math.round(answers.length / seconds),
    requests: answers.length,
    p50Ms: Math.round(percentile(ms, 50) * 10) / 10,
    p99Ms: Math.round(percentile(ms, 99) * 10) / 10,
    non2xx: answers.filter((a) => a.status !== 0 && !ok(a)).length,
    errors: answers.filter((a) => a.status === 0).length,
    cpuMsPerRequest: perRequest(used, answers.length),
    redisCommandsPerRequest: Math.round((redisCount.ours / Math.max(1, answers.length)) * 100) / 100,
    redisBackgroundPerSecond: Math.round(redisCount.backgroundPerSecond),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

await buildAll();
const logDir = mkdtempSync(join(tmpdir(), "bench-surge-"));
const db = await createTestDatabase("bench_surge");
const prefix = createTestRedisPrefix("bench_surge");
const redis = new Redis(testRedisUrl);
const children: Child[] = [];
try {
  const machineBefore = machineInfo();
  log(`logs in ${logDir}; load average ${machineBefore.loadavg.join(" ")}`);
  await migrateAll(db.url);
  const admission = await generateAdmissionKeys();
  const common = {
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: prefix.prefix,
    LOG_LEVEL: "warn",
    ...testIdentityEnv(),
    ADMISSION_PUBLIC_KEYS: admission.publicKeys,
    ADMISSION_SIGNING_KEY: admission.signingKey,
  };
  const profile = (name: string) =>
    profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const catalog = await startService("catalog", common, logDir);
  children.push(catalog.child);
  const inventory = await startService("inventory", { ...common, CATALOG_SERVICE_ADDR: catalog.url }, logDir);
  children.push(inventory.child);
  const queue = await startService(
    "queue",
    { ...common, CATALOG_SERVICE_ADDR: catalog.url, INVENTORY_SERVICE_ADDR: inventory.url },
    logDir,
    profile("queue"),
  );
  children.push(queue.child);
  const edge = await startEdge(
    {
      ...common,
      CATALOG_SERVICE_ADDR: catalog.url,
      INVENTORY_SERVICE_ADDR: inventory.url,
      QUEUE_SERVICE_ADDR: queue.url,
      SEARCH_SERVICE_ADDR: "http://127.0.0.1:1",
      // The join limits stay on (their Redis cost is part of a join); every bench buyer comes
      // from 127.0.0.1, where a real crowd comes from millions of addresses.
      RATE_LIMIT_QUEUE_JOIN_PER_IP: "1000000",
    },
    logDir,
    profile("edge"),
  );
  children.push(edge.child);
  const hello = await startHelloServer(logDir);
  children.push(hello.child);

  const hot = await seedHotEvent(catalog.url, inventory.url);
  const admin = await tokens.sign({ userId: "00000000-0000-4000-8000-0000000000ad", role: "admin" });
  // Open now, one shopping slot, one admission a minute: whoever joins waits.
  const opened = await fetch(`${edge.url}/ticketing.queue.v1.QueueService/SetQueueSettings`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
    body: JSON.stringify({
      eventId: hot.eventId,
      settings: {
        enabled: true,
        maxActiveShoppers: 1,
        admissionsPerMinute: 1,
        shoppingWindowSeconds: 3600,
        opensAt: new Date(Date.now() - 1000).toISOString(),
      },
    }),
  });
  if (!opened.ok)
    throw new Error(`setting up the waiting room failed: ${opened.status} ${await opened.text()}`);
  log(`event ${hot.eventId}: waiting room open, ${clients} closed-loop clients, ${durationS} s per phase`);

  const queuePath = `/events/${hot.eventId}/queue`;
  const cpu = {
    edge: () => [edge.child.process.pid ?? -1],
    queue: () => [queue.child.process.pid ?? -1],
    inventory: () => [inventory.child.process.pid ?? -1],
    hello: () => [hello.child.process.pid ?? -1],
    "load generator": () => [process.pid],
    redis: () => pidsOf("redis-server"),
  };
  const waiting = (a: Answer) => a.status === 200 && a.body.includes('"state":"waiting"');
  const results: { run: number; baseline: Phase; join: Phase; status: Phase; rejoins: number }[] = [];
  const samples: Record<string, unknown>[] = [];
  for (let run = 1; run <= runs; run++) {
    log(`run ${run}: signing ${buyersPerRun} buyers …`);
    const buyers = await Promise.all(Array.from({ length: buyersPerRun }, (_, n) => sign(n, run)));
    const helloClient = new BenchClient(hello.url, clients);
    const edgeClient = new BenchClient(edge.url, clients);
    try {
      log(`run ${run}: (a) bare Fastify …`);
      const baseline = await phase(
        redis,
        cpu,
        () => helloClient.request("GET", "/hello", undefined),
        (a) => a.status === 200,
      );
      log(`run ${run}: (j) joins …`);
      let next = 0;
      const joined: string[] = [];
      const join = await phase(
        redis,
        cpu,
        async () => {
          const token = buyers[next++ % buyers.length] as string;
          const answer = await edgeClient.request("POST", queuePath, undefined, {
            authorization: `Bearer ${token}`,
          });
          if (waiting(answer)) joined.push(token);
          return answer;
        },
        waiting,
      );
      const rejoins = Math.max(0, next - buyers.length);
      if (joinOnly) {
        results.push({ run, baseline, join, status: join, rejoins });
        continue;
      }
      log(`run ${run}: (s) status …`);
      let k = 0;
      const status = await phase(
        redis,
        cpu,
        () =>
          edgeClient.request("GET", queuePath, undefined, {
            authorization: `Bearer ${joined[(k++ * 7919) % joined.length]}`,
          }),
        // The first joiner holds the one shopping slot: admitted, not waiting.
        (a) => a.status === 200,
      );
      results.push({ run, baseline, join, status, rejoins });
      if (run === 1 && sampleCalls > 0) {
        log("Redis commands per call, sampled with MONITOR (sequential calls) …");
        const fresh = buyers.slice(next % buyers.length);
        samples.push({
          what: "join (fresh buyer)",
          ...(await prefixCommandsPerCall(testRedisUrl, prefix.prefix, sampleCalls, async (i) => {
            await edgeClient.request("POST", queuePath, undefined, { authorization: `Bearer ${fresh[i]}` });
          })),
        });
        samples.push({
          what: "status (waiting)",
          ...(await prefixCommandsPerCall(testRedisUrl, prefix.prefix, sampleCalls, async (i) => {
            await edgeClient.request("GET", queuePath, undefined, { authorization: `Bearer ${joined[i]}` });
          })),
        });
      }
    } finally {
      helloClient.close();
      edgeClient.close();
    }
  }

  const ratio = (x: number, b: number) => Math.round((x / b) * 1000) / 1000;
  const rows = results.flatMap((r) =>
    (
      [
        ["(a) bare Fastify GET /hello", r.baseline],
        ["(j) join POST …/queue", r.join],
        ["(s) status GET …/queue", r.status],
      ] as const
    ).map(([label, p]) => [
      r.run,
      label,
      p.reqPerSec,
      p.p50Ms,
      p.p99Ms,
      `${(ratio(p.reqPerSec, r.baseline.reqPerSec) * 100).toFixed(1)} %`,
      p.non2xx,
      p.errors,
      p.redisCommandsPerRequest,
      p.cpuMsPerRequest.edge ?? 0,
      p.cpuMsPerRequest.queue ?? 0,
    ]),
  );
  process.stdout.write(
    `\n${table(
      [
        "run",
        "phase",
        "req/s",
        "p50 ms",
        "p99 ms",
        "vs (a)",
        "non-2xx",
        "errors",
        "Redis cmds/req",
        "edge CPU ms",
        "queue CPU ms",
      ],
      rows,
    )}\n`,
  );
  const joinRatios = results.map((r) => ratio(r.join.reqPerSec, r.baseline.reqPerSec));
  const statusRatios = results.map((r) => ratio(r.status.reqPerSec, r.baseline.reqPerSec));
  const summary = {
    joinVsBaseline: {
      median: median(joinRatios),
      runs: joinRatios,
      target: targets.join,
      met: median(joinRatios) >= targets.join,
    },
    statusVsBaseline: {
      median: median(statusRatios),
      runs: statusRatios,
      target: targets.status,
      met: median(statusRatios) >= targets.status,
    },
    redisCommandsPerJoin: { commandstatsMedian: median(results.map((r) => r.join.redisCommandsPerRequest)) },
    redisCommandsPerStatus: {
      commandstatsMedian: median(results.map((r) => r.status.redisCommandsPerRequest)),
    },
  };
  process.stdout.write(
    `\njoin ÷ bare Fastify: median ${(summary.joinVsBaseline.median * 100).toFixed(1)} % (target ≥ 25 %: ${summary.joinVsBaseline.met ? "met" : "MISSED"}); ` +
      `status ÷ bare Fastify: median ${(summary.statusVsBaseline.median * 100).toFixed(1)} % (target ≥ 50 %: ${summary.statusVsBaseline.met ? "met" : "MISSED"})\n` +
      `Redis commands per call (MONITOR, our prefix, idle rate subtracted):\n${samples
        .map((s) => `  ${s.what}: ${s.perCall} ${JSON.stringify(s.byCommand)}`)
        .join("\n")}\n`,
  );
  const result = {
    benchmark: "surge: waiting-room join and status (issue 11, part 1)",
    date: new Date().toISOString(),
    machine: { ...machineInfo(), loadavgBefore: machineBefore.loadavg },
    setup: {
      clients,
      durationS,
      warmupS,
      runs,
      processes:
        "hello, catalog, inventory, queue and edge each a child process (bundles); clients in the parent",
      room: "open, 1 shopping slot, 1 admission/min: every joiner waits",
      join: "a fresh signed-in buyer per request (a new queue number)",
      status: "buyers who joined in the same run, waiting",
      rateLimits: "on (per user 10/min; per IP raised to 1,000,000/min: every bench buyer is 127.0.0.1)",
      redisCounting:
        "commandstats: INFO commandstats total calls during the timed phase minus the Redis's rate over a 2 s idle window just before; MONITOR: sequential calls, commands naming a key under the run's prefix, minus the prefix's idle rate",
    },
    summary,
    redisMonitorSamples: samples,
    runs: results.map((r) => ({
      ...r,
      joinVsBaseline: ratio(r.join.reqPerSec, r.baseline.reqPerSec),
      statusVsBaseline: ratio(r.status.reqPerSec, r.baseline.reqPerSec),
    })),
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/surge.json", `${JSON.stringify(result, null, 2)}\n`);
  log("wrote bench/results/surge.json");
} finally {
  for (const child of [...children].reverse()) await child.stop();
  redis.disconnect();
  await prefix.clear();
  await db.drop();
}
