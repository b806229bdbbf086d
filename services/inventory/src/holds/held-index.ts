import type { Redis } from "ioredis";
import { SeatChangeKind } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { expiryIndexKey, heldKey, SeatChanges, sequenceKey } from "./seat-changes.ts";

export interface HoldRecord {
  holdId: string;
  userId: string;
  eventId: string;
  ticketIds: string[];
  expiresAt: string;
  /**
   * Until when its seats show as held, when that is not `expiresAt`: a booking of the hold renews
   * its lease for the booking's duration (BOOKING_LEASE_MS), which may end after the hold would
   * have. Absent while the two are the same.
   */
  heldUntil?: string;
}

/** The hold's score in the held set: when its seats stop showing as held. */
export const heldUntilMs = (hold: Pick<HoldRecord, "expiresAt" | "heldUntil">): number =>
  Date.parse(hold.heldUntil ?? hold.expiresAt);

/**
 * KEYS: held set, hold record, expiry index. ARGV: the hold's score now, the new score, the
 * record to store, how long the held set lives, event id, ticket ids...
 * Moves the hold's tickets that still carry its score (one sold or released meanwhile stays as it
 * is), and its record if it still exists; re-files the event under the new score if that is its
 * earliest. Answers how many tickets moved, or -1 when the record is gone.
 */
const moveLua = `
if redis.call("exists", KEYS[2]) == 0 then return -1 end
local moved = 0
for i = 6, #ARGV do
  if redis.call("zscore", KEYS[1], ARGV[i]) == ARGV[1] then
    redis.call("zadd", KEYS[1], ARGV[2], ARGV[i])
    moved = moved + 1
  end
end
redis.call("set", KEYS[2], ARGV[3], "PXAT", ARGV[2])
redis.call("pexpireat", KEYS[1], ARGV[4], "GT")
redis.call("zadd", KEYS[3], "LT", ARGV[2], ARGV[5])
return moved
`;

type MoveRedis = Redis & { heldIndexMove(...args: (string | number)[]): Promise<number> };

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

  private readonly redis: MoveRedis;

  constructor(redis: Redis, channelPrefix: string) {
    this.changes = new SeatChanges(redis, channelPrefix);
    redis.defineCommand("heldIndexMove", { numberOfKeys: 3, lua: moveLua });
    this.redis = redis as MoveRedis;
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

  /**
   * The hold's seats show as held until `untilMs` (and its record lives as long): for as long as
   * a booking's lease on them lasts, or back to the hold's own expiry once the hold is kept as it
   * was. Without this the seat map and the expiry sweeper would call the seats free while the
   * booking still holds them. `ticketIds`: the ones under that lease (a booking may take part of
   * a hold). Resolves to the record as stored now.
   */
  async showUntil(hold: HoldRecord, untilMs: number, ticketIds: readonly string[]): Promise<HoldRecord> {
    const { heldUntil: _, ...rest } = hold;
    const moved: HoldRecord =
      untilMs === Date.parse(hold.expiresAt) ? rest : { ...rest, heldUntil: new Date(untilMs).toISOString() };
    await this.redis.heldIndexMove(
      heldKey(hold.eventId),
      `hold:${hold.holdId}`,
      expiryIndexKey,
      String(heldUntilMs(hold)),
      String(untilMs),
      JSON.stringify(moved),
      untilMs + sweepGraceMs,
      hold.eventId,
      ...ticketIds,
    );
    return moved;
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
  async forget(
    hold: Pick<HoldRecord, "holdId" | "eventId" | "ticketIds" | "expiresAt" | "heldUntil">,
  ): Promise<void> {
    const tx = this.redis.multi();
    this.changes.release(tx, hold.eventId, heldUntilMs(hold), hold.ticketIds);
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
