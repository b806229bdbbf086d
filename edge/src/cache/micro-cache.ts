// In-process micro-cache with request coalescing. A hot key is loaded at most once per window,
// and while it loads every other caller for that key waits on the same promise: N concurrent
// misses make one backend call. Generic over the value; callers store whatever is cheapest to
// serve (pre-serialized bytes, messages).

export interface MicroCacheOptions {
  /** How long a loaded value is served; 0 turns caching and coalescing off. */
  ttlMs: number;
  /** Oldest entries are dropped beyond this many keys. */
  maxEntries?: number;
  /** Errors worth remembering for the window too (e.g. "not found"), so a bad key cannot stampede. */
  cacheError?: (err: unknown) => boolean;
  now?: () => number;
}

interface Entry<V> {
  expires: number;
  value?: V;
  error?: unknown;
}

export class MicroCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inflight = new Map<string, Promise<V>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly cacheError: (err: unknown) => boolean;
  private readonly now: () => number;

  constructor(options: MicroCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.cacheError = options.cacheError ?? (() => false);
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The fresh value under `key`, synchronously, or undefined: the hot path needs no promise. */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.error !== undefined) return undefined;
    if (entry.expires <= this.now()) return undefined;
    return entry.value;
  }

  /** The fresh value (or remembered error) under `key`, else the result of one shared `load`. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    if (!this.enabled) return load();
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.expires > this.now()) {
      return entry.error !== undefined ? Promise.reject(entry.error) : Promise.resolve(entry.value as V);
    }
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const loading = load().then(
      (value) => {
        this.store(key, { expires: this.now() + this.ttlMs, value });
        return value;
      },
      (error: unknown) => {
        if (this.cacheError(error)) this.store(key, { expires: this.now() + this.ttlMs, error });
        throw error;
      },
    );
    const tracked = loading.finally(() => this.inflight.delete(key));
    // The tracked copy's rejection is observed by callers of `get`; this one needs a handler.
    tracked.catch(() => {});
    this.inflight.set(key, tracked);
    return tracked;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private store(key: string, entry: Entry<V>): void {
    // Re-inserting moves the key to the end, so iteration order is oldest-first for eviction.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
