import { Code } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import { reasonError } from "#platform";

// One sorted set per (event, user): a member per held ticket, `<holdId>:<ticketId>`, scored by the
// hold's expiry (ms). Pruned, counted and added to in one script, so two holds racing for the
// same user's last places cannot both pass. Answers -1 when reserved, else what is held already.
const reserveScript = `
  redis.call("zremrangebyscore", KEYS[1], "-inf", ARGV[1])
  local held = redis.call("zcard", KEYS[1])
  if held + #ARGV - 3 > tonumber(ARGV[2]) then return held end
  for i = 4, #ARGV do redis.call("zadd", KEYS[1], ARGV[3], ARGV[i]) end
  redis.call("pexpireat", KEYS[1], ARGV[3], "GT")
  redis.call("pexpireat", KEYS[1], ARGV[3], "NX")
  return -1
`;

export interface QuotaHold {
  holdId: string;
  userId: string;
  eventId: string;
  ticketIds: readonly string[];
}

/**
 * MAX_HELD_PER_USER: how many tickets of one event one user may hold at once, across all their
 * holds. Counted in Redis beside the leases (the general client, key prefix applied by it); an
 * expired hold stops counting with its TTL, a released or booked one when it is given back.
 */
type QuotaRedis = Redis & { holdQuotaReserve(...args: string[]): Promise<number> };

export class HoldQuota {
  private readonly redis: QuotaRedis;

  constructor(
    redis: Redis,
    private readonly maxHeld: number,
  ) {
    // EVALSHA: the script's text is not sent with every hold.
    redis.defineCommand("holdQuotaReserve", { numberOfKeys: 1, lua: reserveScript });
    this.redis = redis as QuotaRedis;
  }

  /** Counts the hold's tickets against the user's quota, or throws HOLD_LIMIT saying how many are held. */
  async reserve(hold: QuotaHold, expiresMs: number, nowMs: number): Promise<void> {
    const held = await this.redis.holdQuotaReserve(
      key(hold),
      String(nowMs),
      String(this.maxHeld),
      String(expiresMs),
      ...members(hold),
    );
    if (held < 0) return;
    throw reasonError(
      `you already hold ${held} ticket${held === 1 ? "" : "s"} of this event and may hold at most ` +
        `${this.maxHeld} at once: book or release a hold first`,
      Code.FailedPrecondition,
      "HOLD_LIMIT",
    );
  }

  /** The hold no longer counts (released, booked, or never taken). */
  async release(hold: QuotaHold): Promise<void> {
    await this.redis.zrem(key(hold), ...members(hold));
  }
}

/** One member per held ticket, named by its hold so two holds of the user never collide. */
const members = (hold: QuotaHold) => hold.ticketIds.map((id) => `${hold.holdId}:${id}`);

const key = (hold: Pick<QuotaHold, "eventId" | "userId">) => `held-by:${hold.eventId}:${hold.userId}`;
