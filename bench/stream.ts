// `npm run bench:stream`: live seat-map fan-out (issue 11, benchmark part 2). N concurrent SSE
// streams (default 10,000) of one hot event on one edge process, one seat change (a hold taken
// straight at inventory), and the time until each stream has the change; memory per stream. The
// baseline, measured in the same run by the same client process: bare Fastify holding N SSE streams
// and writing one frame of the same size to all. Catalog, inventory, the edges, the baseline and the
// client driver are separate processes. Figures are read as ratios to the baseline.
//   baseline    bare Fastify: POST /fire → one write per stream
//   edge        GET /events/{id}/availability/stream, default 250 ms coalescing window
//   edge (0 ms) the same with EDGE_STREAM_COALESCE_MS=0: the fan-out cost without the window
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { InventoryService, TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { asCaller } from "#platform";
import {
  createTestDatabase,
  createTestRedisPrefix,
  signedClient,
  testIdentityEnv,
  testRedisUrl,
} from "#platform/testing";
import { buildAll } from "../scripts/build.ts";
import { migrateAll } from "../scripts/migrate.ts";
import { type Child, startOnFreePort } from "./common/child.ts";
import { machineInfo } from "./common/machine.ts";
import { table } from "./common/report.ts";
import { seedHotEvent } from "./lib-view/data.ts";
import { startEdge, startService } from "./lib-view/services.ts";

const connections = Number(process.env.BENCH_STREAM_CONNECTIONS ?? 10_000);
const rounds = Number(process.env.BENCH_STREAM_ROUNDS ?? 5);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const log = (line: string) => process.stderr.write(`${line}\n`);

const rssKiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** The client process: opens the streams, reports per-round arrival times. */
class Driver {
  private readonly child: ChildProcess;
  private waiting: ((m: Record<string, unknown>) => void) | undefined;
  constructor() {
    this.child = fork("bench/stream-driver.ts", [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
    this.child.on("message", (m: Record<string, unknown>) => this.waiting?.(m));
  }
  ask(command: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.child.send(command);
    });
  }
  next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
  async close(): Promise<void> {
    await this.ask({ type: "close" });
    await new Promise((r) => this.child.once("exit", r));
  }
}

interface Target {
  name: string;
  url: string;
  pid: number;
  /** Makes one change happen; resolves when it was asked for (the clock starts before). */
  fire(): Promise<void>;
}

async function measureTarget(target: Target) {
  const driver = new Driver();
  // One stream first: the edge's per-event feed (the event's tickets) is not a per-stream cost.
  await driver.ask({ type: "open", url: target.url, connections: 1, concurrency: 1 });
  await sleep(500);
  const rssBefore = rssKiB(target.pid);
  const opened = await driver.ask({
    type: "open",
    url: target.url,
    connections: connections - 1,
    concurrency: 200,
  });
  await sleep(1000);
  const rssAfter = rssKiB(target.pid);
  const latencies: number[] = [];
  let missed = 0;
  for (let r = 0; r < rounds; r++) {
    await driver.ask({ type: "arm", timeoutMs: 10_000 });
    const done = driver.next();
    const t0 = Date.now();
    await target.fire();
    const { arrivals } = (await done) as { arrivals: number[] };
    for (const at of arrivals) {
      if (at > 0) latencies.push(at - t0);
      else missed++;
    }
    await sleep(500);
  }
  await driver.close();
  await sleep(1500); // the server drops the closed streams (the edge its feed)
  latencies.sort((a, b) => a - b);
  return {
    opened: opened.connections as number, // includes the first one
    failed: opened.failed as number,
    openMs: opened.ms as number,
    deliveries: latencies.length,
    missed,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    bytesPerStream: Math.round(((rssAfter - rssBefore) * 1024) / Math.max(1, connections - 1)),
  };
}

await buildAll();
const logDir = mkdtempSync(join(tmpdir(), "bench-stream-"));
const db = await createTestDatabase("bench_stream");
const redis = createTestRedisPrefix("bench_stream");
const children: Child[] = [];
try {
  const machineBefore = machineInfo();
  log(`logs in ${logDir}; load average ${machineBefore.loadavg.join(" ")}`);
  await migrateAll(db.url);
  const common = {
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: redis.prefix,
    LOG_LEVEL: "warn",
    ...testIdentityEnv(),
  };
  const catalog = await startService("catalog", common, logDir);
  children.push(catalog.child);
  const inventory = await startService("inventory", { ...common, CATALOG_SERVICE_ADDR: catalog.url }, logDir);
  children.push(inventory.child);
  const hot = await seedHotEvent(catalog.url, inventory.url);
  const inventoryClient = signedClient(InventoryService, inventory.url);
  const free = (await inventoryClient.listTickets({ eventId: hot.eventId })).tickets
    .filter((t) => t.status === TicketStatus.AVAILABLE)
    .map((t) => t.id);
  log(`hot event ${hot.eventId}: ${hot.capacity} seats in ${hot.sections} sections`);

  const edgeEnv = {
    ...common,
    CATALOG_SERVICE_ADDR: catalog.url,
    INVENTORY_SERVICE_ADDR: inventory.url,
    SEARCH_SERVICE_ADDR: "http://127.0.0.1:1",
    EDGE_SEAT_REFUSAL_MS: "0",
  };
  const edge = await startEdge(edgeEnv, logDir);
  children.push(edge.child);
  const edgeNoWindow = await startEdge({ ...edgeEnv, EDGE_STREAM_COALESCE_MS: "0" }, logDir);
  children.push(edgeNoWindow.child);
  const baseline = await startOnFreePort(
    "sse-baseline",
    "bench/common/sse-fanout-server.ts",
    {},
    logDir,
    async (url) =>
      (
        await fetch(`${url}/fire`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"frame":""}',
        })
      ).ok,
  );
  children.push(baseline.child);

  // The baseline writes a frame shaped and sized like the edge's event-wide `changes` frame.
  const sample = `id: 1234\nevent: changes\ndata: ${JSON.stringify({
    sequence: 1234,
    sections: [{ sectionId: hot.eventId, available: 999, held: 1, sold: 0 }],
  })}\n\n`;
  let nextSeat = 0;
  const hold = async () => {
    const ticketId = free[nextSeat++];
    if (!ticketId) throw new Error("out of seats to hold");
    await inventoryClient.holdTickets(
      { eventId: hot.eventId, ticketIds: [ticketId] },
      asCaller({ userId: crypto.randomUUID(), role: "user" }),
    );
  };
  const targets: Target[] = [
    {
      name: "baseline: bare Fastify SSE fan-out",
      url: `${baseline.url}/stream`,
      pid: baseline.child.process.pid ?? -1,
      fire: async () => {
        await fetch(`${baseline.url}/fire`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ frame: sample }),
        });
      },
    },
    {
      name: "edge, 250 ms window (default)",
      url: `${edge.url}/events/${hot.eventId}/availability/stream`,
      pid: edge.child.process.pid ?? -1,
      fire: hold,
    },
    {
      name: "edge, 0 ms window",
      url: `${edgeNoWindow.url}/events/${hot.eventId}/availability/stream`,
      pid: edgeNoWindow.child.process.pid ?? -1,
      fire: hold,
    },
  ];

  const results: ({ run: number; target: string } & Awaited<ReturnType<typeof measureTarget>>)[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const target of targets) {
      log(`run ${run}: ${target.name}, ${connections} streams …`);
      results.push({ run, target: target.name, ...(await measureTarget(target)) });
    }
  }
  const baselineOf = (run: number) => results.find((r) => r.run === run && r.target === targets[0]?.name);
  const rows = results.map((r) => {
    const b = baselineOf(r.run);
    return [
      r.run,
      r.target,
      `${r.opened}/${connections}`,
      `${r.deliveries}/${Number(r.opened) * rounds}`,
      r.p50Ms,
      r.p95Ms,
      r.p99Ms,
      r.maxMs,
      (Number(r.p95Ms) / Number(b?.p95Ms)).toFixed(2),
      r.bytesPerStream,
      (Number(r.bytesPerStream) / Number(b?.bytesPerStream)).toFixed(2),
    ];
  });
  process.stdout.write(
    `\n${table(
      [
        "run",
        "target",
        "streams",
        "delivered",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "p95 / baseline",
        "bytes/stream",
        "mem / baseline",
      ],
      rows,
    )}\n`,
  );
  const edgeP95 = results.filter((r) => r.target === targets[1]?.name).map((r) => Number(r.p95Ms));
  const result = {
    benchmark: "seat-stream fan-out (issue 11, part 2)",
    date: new Date().toISOString(),
    machine: { ...machineInfo(), loadavgBefore: machineBefore.loadavg },
    setup: {
      connections,
      rounds,
      runs,
      stream:
        "event-wide (counts per section) of a 20,000-seat event; one hold per round, taken at inventory",
      latency: "from just before the change is asked for to the client process reading the frame",
    },
    target: { p95Ms: 500 },
    edgeP95MsPerRun: edgeP95,
    runs: results.map((r) => {
      const b = baselineOf(r.run);
      return {
        ...r,
        p95VsBaseline: Number((Number(r.p95Ms) / Number(b?.p95Ms)).toFixed(3)),
        memoryVsBaseline: Number((Number(r.bytesPerStream) / Number(b?.bytesPerStream)).toFixed(3)),
      };
    }),
  };
  writeFileSync("bench/results/seat-stream.json", `${JSON.stringify(result, null, 2)}\n`);
  log("wrote bench/results/seat-stream.json");
} finally {
  for (const child of children.reverse()) await child.stop();
  await redis.clear();
  await db.drop();
}
