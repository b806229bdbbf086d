// Result pages in Redis under the normalized query plus the index version. Every applied change
// bumps the version, so an entry is never older than the last applied change: after a change the
// old keys are simply never asked for again and expire with their TTL.
import type { Redis } from "ioredis";

export const versionKey = "search:index-version";
const entryKey = (version: string, key: string) => `search:result:${version}:${key}`;

// Versions only move forward, even when two writers report out of order.
const raiseVersion = `local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) return ARGV[1] end
return tostring(current)`;

export class ResultCache {
  constructor(
    /** Keys are prefixed by the client (REDIS_KEY_PREFIX). */
    private readonly redis: Redis,
    readonly ttlSeconds: number,
    /** The index version as the database has it, for when Redis lost its copy. */
    private readonly storedVersion: () => Promise<bigint>,
  ) {}

  get enabled(): boolean {
    return this.ttlSeconds > 0;
  }

  /**
   * The current index version, or null when Redis is unavailable (then nothing is cached). Read
   * with result caching off too: other in-process caches are keyed by it.
   */
  async version(): Promise<string | null> {
    if (this.redis.status !== "ready") return null;
    try {
      const version = await this.redis.get(versionKey);
      if (version !== null) return version;
      return await this.publishVersion(await this.storedVersion());
    } catch {
      return null;
    }
  }

  async get(version: string, key: string): Promise<Buffer | null> {
    if (!this.usable()) return null;
    return this.redis.getBuffer(entryKey(version, key)).catch(() => null);
  }

  async set(version: string, key: string, value: Uint8Array): Promise<void> {
    if (!this.usable()) return;
    await this.redis.set(entryKey(version, key), Buffer.from(value), "EX", this.ttlSeconds).catch(() => {});
  }

  /** Raises the shared version to at least `version`; returns the version now in force. */
  async publishVersion(version: bigint): Promise<string> {
    return String(await this.redis.eval(raiseVersion, 1, versionKey, version.toString()));
  }

  // A Redis that is away must cost a search nothing: no queued commands, no waiting.
  private usable(): boolean {
    return this.enabled && this.redis.status === "ready";
  }
}
