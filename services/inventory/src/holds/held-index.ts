import type { Redis } from "ioredis";
import { SeatChangeKind } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { expiryIndexKey, heldKey, SeatChanges, sequenceKey } from "./seat-changes.ts";

export interface HoldRecord {
  holdId: string;
  userId: string;
  eventId: string;
  ticketIds: string[];
  expiresAt: string;
}

/**
 * What the seat map shows as HELD, and hold metadata for ReleaseHold. Display only: the leases
 * are the truth for who may book, the ticket version for what is sold. Per event, a sorted set of
 * held ticket ids scored by expiry (ms): a read leaves out what ran out, so an abandoned hold
 * vanishes from the map with its TTL, whether or not the expiry sweeper (which announces it on the
 * seat channel) has run. Every change is announced on the seat channel in the same Redis step
 * (`SeatChanges`). Key prefixing is the client's (`keyPrefix`).
 */
export class HeldIndex {
  readonly changes: SeatChanges;

  constructor(
    private readonly redis: Redis,
    channelPrefix: string,
  ) {
    this.changes = new SeatChanges(redis, channelPrefix);
  }

  async record(hold: HoldRecord): Promise<void> {
    const expiresMs = Date.parse(hold.expiresAt);
    const held = heldKey(hold.eventId);
    // The set outlives its last hold a little, so the sweeper still finds what expired in it.
    const keepUntil = expiresMs + sweepGraceMs;
    const tx = this.redis
      .multi()
      .zadd(held, ...hold.ticketIds.flatMap((id) => [expiresMs, id]))
      .pexpireat(held, keepUntil, "GT")
      .pexpireat(held, keepUntil, "NX")
      .zadd(expiryIndexKey, "LT", expiresMs, hold.eventId)
      .set(`hold:${hold.holdId}`, JSON.stringify(hold), "PXAT", expiresMs);
    this.changes.announce(tx, hold.eventId, SeatChangeKind.HELD, hold.ticketIds, hold.userId);
    await tx.exec().then(failOnError);
  }

  async find(holdId: string): Promise<HoldRecord | undefined> {
    const raw = await this.redis.get(`hold:${holdId}`);
    return raw ? (JSON.parse(raw) as HoldRecord) : undefined;
  }

  /** Ticket ids of an event under a live hold. */
  async heldIds(eventId: string, now: Date): Promise<string[]> {
    // Read only: removing what ran out is the sweeper's claim, which announces it.
    return this.redis.zrangebyscore(heldKey(eventId), `(${now.getTime()}`, "+inf");
  }

  /**
   * The held ticket ids together with the seat-change sequence number they reflect (read in one
   * step): a live seat map applies the changes after that number on top of what it read.
   */
  async heldWithSequence(eventId: string, now: Date): Promise<{ held: string[]; sequence: bigint }> {
    const [sequence, held] = await this.redis
      .multi()
      .get(sequenceKey(eventId))
      .zrangebyscore(heldKey(eventId), `(${now.getTime()}`, "+inf")
      .exec()
      .then(failOnError);
    return { held: held as string[], sequence: BigInt((sequence as string | null) ?? 0) };
  }

  /** Drops a released or booked hold; its tickets stop showing as HELD at once. */
  async forget(hold: Pick<HoldRecord, "holdId" | "eventId" | "ticketIds" | "expiresAt">): Promise<void> {
    const tx = this.redis.multi();
    this.changes.release(tx, hold.eventId, Date.parse(hold.expiresAt), hold.ticketIds);
    await tx.del(`hold:${hold.holdId}`).exec().then(failOnError);
  }

  /**
   * Sold tickets leave the held set whoever's hold they were under. Separate commands, not MULTI:
   * each stands on its own, and this runs once per booking — so they go through the client's
   * auto-pipelining (one write with every other command of the same tick, other bookings'
   * included) instead of a pipeline that is a write of its own. Same connection, so in order.
   */
  async sold(eventId: string, ticketIds: readonly string[], buyer: string, holdId?: string): Promise<void> {
    await Promise.all([
      this.redis.zrem(heldKey(eventId), ...ticketIds),
      holdId ? this.redis.del(`hold:${holdId}`) : undefined,
      this.changes.publish(eventId, SeatChangeKind.SOLD, ticketIds, buyer),
    ]);
  }
}

/** How long an event's held set outlives its last hold's expiry, for the sweeper to find it. */
const sweepGraceMs = 60_000;

function failOnError(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error("redis transaction aborted");
  for (const [err] of results) if (err) throw err;
  return results.map(([, value]) => value);
}
