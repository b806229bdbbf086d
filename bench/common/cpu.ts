// CPU time per process from /proc (Linux), to say where a benchmark's time goes: divide a run's
// CPU-time delta by its request count to get CPU milliseconds per request for each process.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const ticksPerSecond = 100; // USER_HZ on Linux

/** User + system CPU milliseconds a process has used, or undefined if it cannot be read. */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** Pids of every process with this command name (e.g. all PostgreSQL backends). */
export function pidsOf(command: string): number[] {
  try {
    return execFileSync("pgrep", ["-x", command]).toString().trim().split("\n").map(Number);
  } catch {
    return [];
  }
}

export type CpuGroups = Record<string, () => number[]>;

/** Starts counting; the returned function gives each group's CPU ms since the start. */
export function startCpuCount(groups: CpuGroups): () => Record<string, number> {
  const total = (pids: number[]) => pids.reduce((sum, pid) => sum + (cpuTimeMs(pid) ?? 0), 0);
  const before = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, total(pids())]));
  return () =>
    Object.fromEntries(
      Object.entries(groups).map(([name, pids]) => [name, total(pids()) - (before[name] ?? 0)]),
    );
}

/** Busy CPU milliseconds of the whole machine (every process, ours or not), from /proc/stat. */
export function machineCpuMs(): number {
  const fields =
    readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const busy = fields.slice(0, 8).reduce((a, b, i) => (i === 3 || i === 4 ? a : a + b), 0);
  return (busy * 1000) / ticksPerSecond;
}

/** Each group's CPU milliseconds divided by `requests` (at least 1), rounded to 3 places. */
export function perRequest(ms: Record<string, number>, requests: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(ms).map(([name, used]) => [
      name,
      Math.round((used / Math.max(1, requests)) * 1000) / 1000,
    ]),
  );
}
