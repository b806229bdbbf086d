import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";

/**
 * The commands naming a key under `prefix` that Redis executes while `work` runs, by command name,
 * seen through MONITOR (every key of ours carries the run's prefix, so other clients of a shared
 * Redis do not count). MONITOR slows Redis down: never during a timed run.
 */
export async function monitorPrefix(url: string, prefix: string, work: () => Promise<unknown>) {
  const client = new Redis(url);
  const monitor = await client.monitor();
  const byCommand: Record<string, number> = {};
  let count = 0;
  monitor.on("monitor", (_time: string, args: string[]) => {
    if (!args.slice(1).some((a) => a.startsWith(prefix))) return;
    count++;
    const name = (args[0] ?? "").toLowerCase();
    byCommand[name] = (byCommand[name] ?? 0) + 1;
  });
  const started = performance.now();
  try {
    await work();
    await sleep(200); // MONITOR lines arrive after the replies
  } finally {
    monitor.disconnect();
    client.disconnect();
  }
  return { count, byCommand, ms: performance.now() - started };
}
