import type { Redis } from "ioredis";

export interface HoldRecord {
  holdId: string;
  userId: string;
  eventId: string;
  ticketIds: string[];
  expiresAt: string;
}

// Removes members only while they still carry this hold's expiry as score, so giving back an
// old hold never hides a newer holder's seats from the seat map.
const forgetScript = `
  local removed = 0
  for i = 2, #ARGV do
    if redis.call("zscore", KEYS[1], ARGV[i]) == ARGV[1] then
      removed = removed + redis.call("zrem", KEYS[1], ARGV[i])
    end
  end
  return removed
`;

/**
 * What the seat map shows as HELD, and hold metadata for ReleaseHold. Display only: the leases
 * are the truth for who may book, the ticket version for what is sold. Per event, a sorted set of
 * held ticket ids scored by expiry (ms), pruned when read, so an abandoned hold vanishes with its
 * TTL and no sweeper is needed. Key prefixing is the client's (`keyPrefix`).
 */
export class HeldIndex {
  constructor(
    private readonly redis: Redis,
    private readonly channelPrefix: string,
  ) {}

  async record(hold: HoldRecord): Promise<void> {
    const expiresMs = Date.parse(hold.expiresAt);
    const heldKey = `held:${hold.eventId}`;
    await this.redis
      .multi()
      .zadd(heldKey, ...hold.ticketIds.flatMap((id) => [expiresMs, id]))
      .pexpireat(heldKey, expiresMs, "GT")
      .pexpireat(heldKey, expiresMs, "NX")
      .set(`hold:${hold.holdId}`, JSON.stringify(hold), "PXAT", expiresMs)
      .publish(this.channel(hold.eventId), JSON.stringify({ held: hold.ticketIds, by: hold.userId }))
      .exec()
      .then(failOnError);
  }

  async find(holdId: string): Promise<HoldRecord | undefined> {
    const raw = await this.redis.get(`hold:${holdId}`);
    return raw ? (JSON.parse(raw) as HoldRecord) : undefined;
  }

  /** Ticket ids of an event under a live hold. */
  async heldIds(eventId: string, now: Date): Promise<string[]> {
    const key = `held:${eventId}`;
    const results = await this.redis
      .multi()
      .zremrangebyscore(key, "-inf", String(now.getTime()))
      .zrange(key, "0", "-1")
      .exec()
      .then(failOnError);
    return (results[1] as string[] | undefined) ?? [];
  }

  /** Drops a released or booked hold; its tickets stop showing as HELD at once. */
  async forget(hold: Pick<HoldRecord, "holdId" | "eventId" | "ticketIds" | "expiresAt">): Promise<void> {
    await this.redis
      .multi()
      .eval(forgetScript, 1, `held:${hold.eventId}`, String(Date.parse(hold.expiresAt)), ...hold.ticketIds)
      .del(`hold:${hold.holdId}`)
      .publish(this.channel(hold.eventId), JSON.stringify({ released: hold.ticketIds }))
      .exec()
      .then(failOnError);
  }

  /**
   * Sold tickets leave the held set whoever's hold they were under. A plain pipeline, not MULTI:
   * each command stands on its own (this runs once per booking).
   */
  async sold(eventId: string, ticketIds: readonly string[], buyer: string, holdId?: string): Promise<void> {
    const tx = this.redis.pipeline().zrem(`held:${eventId}`, ...ticketIds);
    if (holdId) tx.del(`hold:${holdId}`);
    await tx
      .publish(this.channel(eventId), JSON.stringify({ sold: ticketIds, by: buyer }))
      .exec()
      .then(failOnError);
  }

  /** Pub/sub channel announcing seat changes of an event (channels are not key-prefixed by ioredis). */
  channel(eventId: string): string {
    return `${this.channelPrefix}seats:${eventId}`;
  }
}

function failOnError(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error("redis transaction aborted");
  for (const [err] of results) if (err) throw err;
  return results.map(([, value]) => value);
}
