// Read-through Redis cache of catalog reads, stored as protobuf bytes.
//
// The classic race — a reader loads old rows, a writer commits and deletes the key, the reader
// then stores what it loaded — is closed with a per-key write marker: a write bumps the marker
// before deleting the value, and a reader only stores its value if the marker is still what it
// saw before loading (checked atomically in Lua). While the marker exists (a short while after a
// write) readers load from the primary, so replica lag cannot resurrect old data either.
// Redis trouble never fails a read: it falls back to PostgreSQL.
import type { Redis } from "ioredis";
import type { Logger } from "#platform";

export interface LoadOptions {
  /** True right after a write: read the primary, not a possibly lagging replica. */
  primary: boolean;
}

const found = 1;
const notFound = 0;
/** How long after a write readers go to the primary and stores are checked against the marker. */
const markerTtlMs = 30_000;

const storeIfUnchangedLua = `
local current = redis.call('get', KEYS[2])
if (current or '') == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

type CacheRedis = Redis & {
  catalogStoreIfUnchanged(
    key: string,
    marker: string,
    seen: string,
    value: Buffer,
    ttlMs: number,
  ): Promise<number>;
};

export class ReadCache {
  private readonly redis: CacheRedis;

  constructor(
    redis: Redis,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {
    redis.defineCommand("catalogStoreIfUnchanged", { numberOfKeys: 2, lua: storeIfUnchangedLua });
    this.redis = redis as CacheRedis;
  }

  /** The cached bytes under `key`, or what `load` returns (undefined = not found, cached too). */
  async read(
    key: string,
    load: (options: LoadOptions) => Promise<Uint8Array | undefined>,
  ): Promise<Uint8Array | undefined> {
    const redis = this.redis;
    let seen: string;
    try {
      const [value, marker] = await redis.mgetBuffer(key, markerKey(key));
      if (value) return value[0] === found ? value.subarray(1) : undefined;
      seen = marker?.toString() ?? "";
    } catch (err) {
      this.logger.warn({ err: String(err), key }, "cache read failed, reading PostgreSQL");
      return load({ primary: false });
    }
    const loaded = await load({ primary: seen !== "" });
    const encoded = loaded ? Buffer.concat([Buffer.of(found), loaded]) : Buffer.of(notFound);
    // A short life for "not found": ids are generated on create, but a typo should not stick.
    const ttl = loaded ? this.ttlMs : Math.min(this.ttlMs, 5000);
    redis.catalogStoreIfUnchanged(key, markerKey(key), seen, encoded, ttl).catch((err: unknown) => {
      this.logger.warn({ err: String(err), key }, "cache store failed");
    });
    return loaded;
  }

  /**
   * Drops the keys after a committed write. Retried in the background if Redis is away, so a
   * lost invalidation is bounded by the retry window, then by the TTL.
   */
  async invalidate(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    try {
      await this.invalidateNow(keys);
    } catch (err) {
      this.logger.error({ err: String(err), keys: keys.length }, "cache invalidation failed, retrying");
      this.retry(keys, 1);
    }
  }

  private async invalidateNow(keys: string[]): Promise<void> {
    const tx = this.redis.multi();
    for (const key of keys) {
      tx.incr(markerKey(key));
      tx.pexpire(markerKey(key), markerTtlMs);
      tx.del(key);
    }
    const results = await tx.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error("transaction discarded");
  }

  private retry(keys: string[], attempt: number): void {
    if (attempt > 8) {
      this.logger.error({ keys: keys.length }, "cache invalidation gave up; entries expire by TTL");
      return;
    }
    setTimeout(
      () => this.invalidateNow(keys).catch(() => this.retry(keys, attempt + 1)),
      Math.min(250 * 2 ** attempt, 10_000),
    ).unref();
  }
}

const markerKey = (key: string) => `${key}:written`;

export const cacheKeys = {
  event: (eventId: string) => `catalog:event:${eventId}`,
  /** GetEvent with `omit_seat_rows`: a value of its own, dropped by every write that drops `event`. */
  eventWithoutRows: (eventId: string) => `catalog:event-no-rows:${eventId}`,
  venue: (venueId: string) => `catalog:venue:${venueId}`,
};
