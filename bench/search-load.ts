// A closed-loop load driver: `concurrency` clients, each sending its next request as soon as the
// previous one is answered, for a fixed time. Latencies are kept per request for exact percentiles.

export interface PhaseResult {
  name: string;
  concurrency: number;
  durationS: number;
  requests: number;
  errors: number;
  reqPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  byKind: Record<string, { requests: number; p50Ms: number; p95Ms: number; p99Ms: number }>;
  /** CPU milliseconds per answered request, per process group (filled in by the caller). */
  cpuMsPerRequest?: Record<string, number>;
  /** Mean busy cores over the phase, all counted processes together. */
  cpuBusyCores?: number;
  /** Mean busy cores of the whole machine over the phase, including processes not ours. */
  machineBusyCores?: number;
  /** 1-minute load average at the start and end of the phase. */
  loadavg1?: number[];
}

/** Sends request `index` on closed-loop client `client` (0 … concurrency − 1). */
export type Send = (index: number, client: number) => Promise<void>;

export async function runPhase(
  name: string,
  concurrency: number,
  durationMs: number,
  send: Send,
  kindOf: (index: number) => string,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  const kinds: string[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const client = async (_: unknown, c: number) => {
    while (performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        await send(i, c);
        latencies.push(performance.now() - t0);
        kinds.push(kindOf(i));
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsedS = (performance.now() - started) / 1000;
  const byKind: PhaseResult["byKind"] = {};
  for (const kind of new Set(kinds)) {
    const own = latencies.filter((_, i) => kinds[i] === kind);
    byKind[kind] = { requests: own.length, ...percentiles(own) };
  }
  const all = percentiles(latencies);
  return {
    name,
    concurrency,
    durationS: round(elapsedS),
    requests: latencies.length,
    errors,
    reqPerSec: round(latencies.length / elapsedS),
    ...all,
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
    maxMs: round(latencies.reduce((a, b) => Math.max(a, b), 0)),
    byKind,
  };
}

function percentiles(values: number[]) {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  return { p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99) };
}

export const round = (n: number) => Math.round(n * 100) / 100;
