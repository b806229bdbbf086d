// One autocannon run against a URL for a fixed time. The load generator runs in this process, on
// the same machine as the servers; a caller that wants a warm-up runs one first.
import autocannon from "autocannon";

export interface LoadOptions {
  connections: number;
  durationS: number;
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
  const r = await autocannon({ url, connections: options.connections, duration: options.durationS });
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
