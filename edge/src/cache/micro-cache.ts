// In-process micro-cache with request coalescing. A hot key is loaded at most once per window,
// and while it loads every other caller for that key waits on the same promise: N concurrent
// misses make one backend call. The two are separate mechanisms: with a window of 0 nothing is
// stored, but concurrent loads of one key can still share their call (singleflight), so every
// answer comes from a load that was in flight when it was asked for. A key still in demand near the end of its window is refreshed
// ahead in the background, so hot keys never make callers wait for the reload (which otherwise
// stalls every connection once per window) and never serve a value older than the window.
// Generic over the value: callers store whatever is cheapest to serve (bytes, messages).

export interface MicroCacheOptions {
  /** How long a loaded value is served; 0 stores nothing. */
  ttlMs: number;
  /**
   * Concurrent `get`s of one key share one load in flight (nothing is kept after it settles).
   * Defaults to on when `ttlMs` > 0 and off when it is 0, as before this option existed.
   */
  coalesce?: boolean;
  /** Oldest entries are dropped beyond this many keys. */
  maxEntries?: number;
  /** Errors worth remembering for the window too (e.g. "not found"), so a bad key cannot stampede. */
  cacheError?: (err: unknown) => boolean;
  /** Fraction of the window after which a request triggers a background refresh (default 0.75). */
  refreshAhead?: number;
  now?: () => number;
}

interface Entry<V> {
  expires: number;
  refreshAt: number;
  load: () => Promise<V>;
  value?: V;
  error?: unknown;
}

export class MicroCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inflight = new Map<string, Promise<V>>();
  private readonly ttlMs: number;
  private readonly coalesce: boolean;
  private readonly refreshAfterMs: number;
  private readonly maxEntries: number;
  private readonly cacheError: (err: unknown) => boolean;
  private readonly now: () => number;

  constructor(options: MicroCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.coalesce = options.coalesce ?? options.ttlMs > 0;
    this.refreshAfterMs = options.ttlMs * (options.refreshAhead ?? 0.75);
    this.maxEntries = options.maxEntries ?? 10_000;
    this.cacheError = options.cacheError ?? (() => false);
    this.now = options.now ?? Date.now;
  }

  /** True when loaded values are stored for a window. */
  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** True when concurrent loads of one key share one call. */
  get coalescing(): boolean {
    return this.coalesce;
  }

  /** The fresh value under `key`, synchronously, or undefined: the hot path needs no promise. */
  peek(key: string): V | undefined {
    const entry = this.fresh(key);
    return entry?.error === undefined ? entry?.value : undefined;
  }

  /** The fresh value (or remembered error) under `key`, else the result of one shared `load`. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    // With a window of 0 nothing is ever stored, so there is never a fresh entry.
    const entry = this.fresh(key);
    if (entry)
      return entry.error !== undefined ? Promise.reject(entry.error) : Promise.resolve(entry.value as V);
    if (this.coalesce) return this.inflight.get(key) ?? this.start(key, load);
    return this.settle(key, load);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The unexpired entry under `key`; starts a background refresh when it is due. */
  private fresh(key: string): Entry<V> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.now();
    if (entry.expires <= now) return undefined;
    if (entry.refreshAt <= now && !this.inflight.has(key)) {
      // The old value keeps being served until the new one lands (or the window ends).
      this.start(key, entry.load).catch(() => {});
      entry.refreshAt = entry.expires;
    }
    return entry;
  }

  /** One load whose result is stored for the window (when there is one). */
  private settle(key: string, load: () => Promise<V>): Promise<V> {
    return load().then(
      (value) => {
        if (this.enabled) this.store(key, load, { value });
        return value;
      },
      (error: unknown) => {
        if (this.enabled && this.cacheError(error)) this.store(key, load, { error });
        throw error;
      },
    );
  }

  /** `settle`, registered as the key's load in flight until it settles. */
  private start(key: string, load: () => Promise<V>): Promise<V> {
    const tracked = this.settle(key, load).finally(() => this.inflight.delete(key));
    // The tracked copy's rejection is observed by callers of `get`; this one needs a handler.
    tracked.catch(() => {});
    this.inflight.set(key, tracked);
    return tracked;
  }

  private store(key: string, load: () => Promise<V>, result: { value?: V; error?: unknown }): void {
    const now = this.now();
    // Re-inserting moves the key to the end, so iteration order is oldest-first for eviction.
    this.entries.delete(key);
    this.entries.set(key, {
      expires: now + this.ttlMs,
      refreshAt: now + this.refreshAfterMs,
      load,
      ...result,
    });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
