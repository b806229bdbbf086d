// Seat changes on the seat channel: `ticketing.inventory.v1.SeatChange` (proto/ticketing/inventory/
// v1/seat_changes.proto) published as binary protobuf by Lua, inside the same atomic Redis step as
// the change. Two facts are only known inside that step: the event's next sequence number (so
// subscribers receive changes in sequence order, whoever published them), and which tickets really
// changed (a release or an expiry must not announce a seat someone else holds by now). So the
// message is encoded in Lua — strings and varints only — and tests decode it with `fromBinary`.
import type { ChainableCommander, Redis } from "ioredis";
import { SeatChangeKind } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { seatChannel } from "#platform";

/** An event's sequence counter lives this long after its last change. */
const sequenceTtlMs = 7 * 24 * 3600 * 1000;

// SeatChange field numbers (seat_changes.proto): 1 event_id, 2 sequence, 3 kind, 4 ticket_ids,
// 5 by_user_id. Wire types: 0 varint, 2 length-delimited.
const luaPublish = `
local function varint(n)
  local out = {}
  while n >= 128 do
    out[#out + 1] = string.char(n % 128 + 128)
    n = math.floor(n / 128)
  end
  out[#out + 1] = string.char(n)
  return table.concat(out)
end
local function str(field, s) return varint(field * 8 + 2) .. varint(#s) .. s end
local function publish_change(seq_key, channel, event_id, kind, by, ids)
  if #ids == 0 then return 0 end
  local seq = redis.call("incr", seq_key)
  redis.call("pexpire", seq_key, ${sequenceTtlMs})
  local parts = { str(1, event_id), varint(2 * 8) .. varint(seq), varint(3 * 8) .. varint(kind) }
  for _, id in ipairs(ids) do parts[#parts + 1] = str(4, id) end
  if by ~= "" then parts[#parts + 1] = str(5, by) end
  redis.call("publish", channel, table.concat(parts))
  return seq
end
`;

/** KEYS: sequence. ARGV: channel, event id, kind, by (or ""), ticket ids... */
const publishLua = `${luaPublish}
local ids = {}
for i = 5, #ARGV do ids[#ids + 1] = ARGV[i] end
return publish_change(KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ids)
`;

/**
 * KEYS: held set, sequence. ARGV: the hold's expiry score, channel, event id, ticket ids...
 * Removes members only while they still carry this hold's expiry as score, so giving back an old
 * hold never hides (or announces as released) a newer holder's seats; announces what it removed.
 */
const releaseLua = `${luaPublish}
local removed = {}
for i = 4, #ARGV do
  if redis.call("zscore", KEYS[1], ARGV[i]) == ARGV[1] then
    redis.call("zrem", KEYS[1], ARGV[i])
    removed[#removed + 1] = ARGV[i]
  end
end
publish_change(KEYS[2], ARGV[2], ARGV[3], ${SeatChangeKind.RELEASED}, "", removed)
return #removed
`;

/**
 * KEYS: held set, expiry index, sequence. ARGV: now (ms), channel, event id.
 * Claims the event's holds that ran out (removing them is the claim: a second sweeper running the
 * same script finds nothing), announces them as EXPIRED, and re-files the event under its next
 * expiry, or drops it from the index when no hold is left.
 */
const expireLua = `${luaPublish}
local expired = redis.call("zrangebyscore", KEYS[1], "-inf", ARGV[1])
if #expired > 0 then redis.call("zremrangebyscore", KEYS[1], "-inf", ARGV[1]) end
publish_change(KEYS[3], ARGV[2], ARGV[3], ${SeatChangeKind.EXPIRED}, "", expired)
local next = redis.call("zrange", KEYS[1], 0, 0, "WITHSCORES")
if next[2] then redis.call("zadd", KEYS[2], next[2], ARGV[3]) else redis.call("zrem", KEYS[2], ARGV[3]) end
return #expired
`;

interface SeatChangeCommands {
  seatChangePublish(...args: (string | number)[]): Promise<number>;
  seatChangeRelease(...args: (string | number)[]): Promise<number>;
  seatChangeExpire(...args: (string | number)[]): Promise<number>;
}

/** Keys and scripts of the seat channel, for the held index and the expiry sweeper. */
export class SeatChanges {
  private readonly redis: Redis & SeatChangeCommands;

  constructor(
    redis: Redis,
    /** The Redis key prefix, which channel names carry themselves. */
    private readonly channelPrefix: string,
  ) {
    redis.defineCommand("seatChangePublish", { numberOfKeys: 1, lua: publishLua });
    redis.defineCommand("seatChangeRelease", { numberOfKeys: 2, lua: releaseLua });
    redis.defineCommand("seatChangeExpire", { numberOfKeys: 3, lua: expireLua });
    this.redis = redis as Redis & SeatChangeCommands;
  }

  channel(eventId: string): string {
    return seatChannel(this.channelPrefix, eventId);
  }

  /** Queues the announcement of HELD or SOLD tickets on a MULTI or pipeline, after the change. */
  announce(
    tx: ChainableCommander,
    eventId: string,
    kind: SeatChangeKind.HELD | SeatChangeKind.SOLD,
    ticketIds: readonly string[],
    by: string,
  ): void {
    (tx as unknown as SeatChangeCommands).seatChangePublish(
      ...this.publishArgs(eventId, kind, ticketIds, by),
    );
  }

  /** Announces HELD or SOLD tickets as a command of its own (auto-pipelined by the client). */
  publish(
    eventId: string,
    kind: SeatChangeKind.HELD | SeatChangeKind.SOLD,
    ticketIds: readonly string[],
    by: string,
  ): Promise<number> {
    return this.redis.seatChangePublish(...this.publishArgs(eventId, kind, ticketIds, by));
  }

  private publishArgs(eventId: string, kind: SeatChangeKind, ticketIds: readonly string[], by: string) {
    return [sequenceKey(eventId), this.channel(eventId), eventId, kind, by, ...ticketIds];
  }

  /** Queues the removal of a hold's tickets still under its expiry, announced as RELEASED. */
  release(tx: ChainableCommander, eventId: string, expiresMs: number, ticketIds: readonly string[]): void {
    (tx as unknown as SeatChangeCommands).seatChangeRelease(
      heldKey(eventId),
      sequenceKey(eventId),
      String(expiresMs),
      this.channel(eventId),
      eventId,
      ...ticketIds,
    );
  }

  /** Expires the event's holds that ran out by `nowMs`; resolves to how many tickets it announced. */
  expire(eventId: string, nowMs: number): Promise<number> {
    return this.redis.seatChangeExpire(
      heldKey(eventId),
      expiryIndexKey,
      sequenceKey(eventId),
      String(nowMs),
      this.channel(eventId),
      eventId,
    );
  }
}

/** Per event, held ticket ids scored by their hold's expiry (ms). */
export const heldKey = (eventId: string) => `held:${eventId}`;

/** Events with holds, each scored by its earliest hold expiry (ms): what the sweeper reads. */
export const expiryIndexKey = "hold-expiries";

/** The event's last seat-change sequence number. */
export const sequenceKey = (eventId: string) => `seatseq:${eventId}`;
