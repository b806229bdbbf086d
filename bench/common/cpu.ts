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
