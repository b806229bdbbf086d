// Fixed-window request counters in Redis, shared by every edge replica: a key's first count in a
// window starts it (PEXPIRE), later ones read how long it has left. The counts asked for in one
// event-loop turn go to Redis as one script call: at an onsale's opening each join counts against
// its address and its account, and two Redis calls per join (each its own socket write, since the
// requests arrive in separate callbacks) were a quarter of the edge's CPU for a join.
import type { Redis } from "ioredis";
import { Batcher } from "#platform";

export interface WindowCount {
  /** Requests counted in the window so far, this one included. */
  count: number;
  /** Until the window ends (ms). */
  ttlMs: number;
}

/** KEYS: the counters. ARGV[1]: the window (ms). Returns count and ttl per key, in order. */
const countScript = `
local window = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('incr', key)
  local ttl = window
  if count == 1 then
    redis.call('pexpire', key, window)
  else
    ttl = redis.call('pttl', key)
    if ttl < 0 then
      redis.call('pexpire', key, window)
      ttl = window
    end
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out
`;

interface WindowCommands {
  /** countScript by EVALSHA; the first argument is the number of keys. */
  rateWindows(numberOfKeys: number, ...args: (string | number)[]): Promise<number[]>;
}

export class RateWindows {
  private readonly redis: Redis & WindowCommands;
  private readonly counts: Batcher<string, WindowCount>;

  constructor(
    redis: Redis,
    private readonly windowMs: number,
    /** Most keys per script call. */
    maxBatch = 500,
  ) {
    redis.defineCommand("rateWindows", { lua: countScript });
    this.redis = redis as Redis & WindowCommands;
    this.counts = new Batcher((keys) => this.countAll(keys), maxBatch, { gatherTurn: true });
  }

  /** Counts one request against `key` (the client's key prefix applies). */
  count(key: string): Promise<WindowCount> {
    return this.counts.submit(key);
  }

  private async countAll(keys: string[]): Promise<WindowCount[]> {
    const flat = await this.redis.rateWindows(keys.length, ...keys, this.windowMs);
    return keys.map((_, i) => ({ count: Number(flat[2 * i]), ttlMs: Number(flat[2 * i + 1]) }));
  }
}
