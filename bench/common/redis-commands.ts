// Redis commands a benchmark's own requests cost, on a Redis other work shares. Two views:
// - INFO commandstats deltas around a timed run, less the same Redis's background rate measured
//   just before over an idle window (whatever else talks to this Redis keeps talking);
// - a MONITOR sample of sequential requests counting only commands that name a key under the
//   run's prefix (every key of ours carries it), less the prefix's idle rate (the admission loop).
// MONITOR slows Redis down, so it is never on during a timed run.
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { monitorPrefix } from "#platform/testing";

/** Calls per command since Redis started (`INFO commandstats`). */
async function commandCalls(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info("commandstats");
  const calls: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1] as string] = Number(m[2]);
  return calls;
}

const total = (calls: Record<string, number>) =>
  Object.entries(calls).reduce((sum, [name, n]) => (name === "info" ? sum : sum + n), 0);

/** Counts every command Redis executes (less INFO) while `work` runs, and over `idleMs` before it. */
export async function commandstatsDelta(redis: Redis, idleMs: number, work: () => Promise<void>) {
  const a = total(await commandCalls(redis));
  await sleep(idleMs);
  const b = total(await commandCalls(redis));
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  const c = total(await commandCalls(redis));
  const backgroundPerSecond = ((b - a) * 1000) / idleMs;
  return { commands: c - b, backgroundPerSecond, ms, ours: c - b - (backgroundPerSecond * ms) / 1000 };
}

/**
 * Commands under `prefix` per call of `one`, from `n` sequential calls watched by MONITOR, less
 * the prefix's own idle rate over `idleMs` (background work of the services under test).
 */
export async function prefixCommandsPerCall(
  url: string,
  prefix: string,
  n: number,
  one: (i: number) => Promise<void>,
  idleMs = 2000,
) {
  const idle = await monitorPrefix(url, prefix, () => sleep(idleMs));
  const run = await monitorPrefix(url, prefix, async () => {
    for (let i = 0; i < n; i++) await one(i);
  });
  const idlePerMs = idle.count / idle.ms;
  const perCall = (run.count - idlePerMs * run.ms) / n;
  return {
    calls: n,
    perCall: Math.round(perCall * 100) / 100,
    idlePerSecond: Math.round(idlePerMs * 1000 * 10) / 10,
    byCommand: Object.fromEntries(
      Object.entries(run.byCommand).map(([name, c]) => [name, Math.round((c / n) * 100) / 100]),
    ),
  };
}
