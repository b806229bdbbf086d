// One autocannon run against a URL: a short warm-up (JIT, connection pools, caches), then the
// measured run. The load generator runs in this process, on the same machine as the servers.
import autocannon from "autocannon";

export interface LoadOptions {
  connections: number;
  durationS: number;
  warmupS: number;
  headers?: Record<string, string>;
  /** Called after the warm-up, just before the measured run starts. */
  onMeasureStart?: () => void;
}

export interface LoadResult {
  url: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export async function measure(url: string, options: LoadOptions): Promise<LoadResult> {
  const base = {
    url,
    connections: options.connections,
    ...(options.headers ? { headers: options.headers } : {}),
  };
  if (options.warmupS > 0) await autocannon({ ...base, duration: options.warmupS });
  options.onMeasureStart?.();
  const r = await autocannon({ ...base, duration: options.durationS });
  return {
    url,
    reqPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}
