// In-process entries that are valid under one index version only. Every applied change bumps the
// version, so entries of an older one are never right to serve again: asking under a new version
// drops them all, and an answer computed under a version that has since moved on is not kept.
// Without a known version (Redis away) nothing is cached. Each entry also lives at most `ttlMs`,
// and the oldest leave first beyond `maxEntries`.
export class VersionScopedCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private version: string | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(version: string | null, key: string): V | undefined {
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    if (version === null) return undefined;
    const entry = this.entries.get(key);
    return entry && entry.until > Date.now() ? entry.value : undefined;
  }

  /** Keeps `value` if `version` is still the one in force (read with `get` before computing it). */
  set(version: string | null, key: string, value: V): void {
    if (version === null || version !== this.version) return;
    this.entries.delete(key); // re-insert: Map order stays oldest-first
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
  }
}
