// The waiting room's atomic steps as Lua, so two edges, two queue replicas or a restart in the
// middle never hand out a number twice, draw the pre-queue twice, or admit past a slot limit.
// Every script takes the same KEYS in the order of `scriptKeys`.
import type { RoomKeys } from "./room-keys.ts";

const keyOrder = [
  "users",
  "byNumber",
  "pre",
  "issued",
  "opened",
  "serving",
  "active",
  "admitted",
  "soldOut",
  "bucket",
  "samples",
  "tokens",
] as const satisfies readonly (keyof RoomKeys)[];

export const scriptKeys = (keys: RoomKeys): string[] => keyOrder.map((name) => keys[name]);
export const scriptKeyCount = keyOrder.length;

// Draws the pre-queue once: a Fisher–Yates shuffle driven by a seeded Park–Miller generator
// (exact in Lua's doubles), so arriving a millisecond before opening is no advantage and the seed
// stored in `opened` reproduces the draw for an audit. Numbers continue after any already issued.
const openRoom = `
local function open_room(seed)
  local list = redis.call('lrange', KEYS[3], 0, -1)
  local state = seed % 2147483646 + 1
  for i = #list, 2, -1 do
    state = (state * 48271) % 2147483647
    local j = state % i + 1
    list[i], list[j] = list[j], list[i]
  end
  local base = tonumber(redis.call('get', KEYS[4]) or '0')
  for i = 1, #list do
    redis.call('hset', KEYS[1], list[i], base + i)
    redis.call('hset', KEYS[2], base + i, list[i])
  end
  redis.call('set', KEYS[4], base + #list)
  redis.call('del', KEYS[3])
  redis.call('set', KEYS[5], seed)
end
`;

/**
 * ARGV: now ms, opens-at ms, seed, then the joining users. Each user's number: the one they have,
 * else a new one (INCR) once open, else 0 (pre-queue); one place per user per event, so a user
 * named twice gets one number. Returns the room's "now serving" and sold-out flag, then each
 * user's number, window end and token: the fields RoomStore.place reads, for the whole batch in
 * one round trip.
 */
export const joinScript = `${openRoom}
local now, opens = tonumber(ARGV[1]), tonumber(ARGV[2])
if redis.call('exists', KEYS[5]) == 0 and now >= opens then open_room(tonumber(ARGV[3])) end
local open = redis.call('exists', KEYS[5]) == 1
local out = {redis.call('get', KEYS[6]) or '0', redis.call('exists', KEYS[9])}
for i = 4, #ARGV do
  local user = ARGV[i]
  local n = redis.call('hget', KEYS[1], user)
  if not n then
    if not open then
      n = 0
      redis.call('hset', KEYS[1], user, 0)
      redis.call('rpush', KEYS[3], user)
    else
      n = redis.call('incr', KEYS[4])
      redis.call('hset', KEYS[1], user, n)
      redis.call('hset', KEYS[2], n, user)
    end
  end
  out[#out + 1] = tostring(n)
  out[#out + 1] = redis.call('hget', KEYS[8], user) or ''
  out[#out + 1] = redis.call('hget', KEYS[12], user) or ''
end
return out
`;

/**
 * One admission step (run by the room's leader only). ARGV: now ms, opens-at ms, seed,
 * max active shoppers, admissions per minute, shopping window ms, seats available, seats held.
 * Returns {phase, admitted, serving}: phase 0 not open yet, -1 sold out, 1 ran.
 *
 * Admits up to: free shopping slots; the per-minute cap (a token bucket holding 5 s worth); one
 * active shopper per unsold seat; whoever is waiting. Nobody is admitted while every available
 * seat is held (expired holds bring them back, and the next step admits again).
 */
export const admitScript = `${openRoom}
local now = tonumber(ARGV[1])
if redis.call('exists', KEYS[5]) == 0 then
  if now < tonumber(ARGV[2]) then return {0, 0, 0} end
  open_room(tonumber(ARGV[3]))
end
redis.call('zremrangebyscore', KEYS[7], '-inf', now)
local maxActive, perMinute, windowMs = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local available, held = tonumber(ARGV[7]), tonumber(ARGV[8])
local serving = tonumber(redis.call('get', KEYS[6]) or '0')
redis.call('lpush', KEYS[11], now .. ':' .. serving)
redis.call('ltrim', KEYS[11], 0, 599)
if available <= 0 and held <= 0 then
  redis.call('set', KEYS[9], '1')
  return {-1, 0, serving}
end
redis.call('del', KEYS[9])
local capacity = math.max(1, perMinute / 12)
local bucket = redis.call('hmget', KEYS[10], 'tokens', 'at')
local tokens = tonumber(bucket[1] or capacity)
local at = tonumber(bucket[2] or now)
tokens = math.min(capacity, tokens + math.max(0, now - at) * perMinute / 60000)
local issued = tonumber(redis.call('get', KEYS[4]) or '0')
local active = redis.call('zcard', KEYS[7])
local k = math.min(maxActive - active, math.floor(tokens), available + held - active, issued - serving)
if available <= 0 or k < 0 then k = 0 end
for i = 1, k do
  local user = redis.call('hget', KEYS[2], serving + i)
  if user then
    redis.call('zadd', KEYS[7], now + windowMs, user)
    redis.call('hset', KEYS[8], user, now + windowMs)
  end
end
redis.call('set', KEYS[6], serving + k)
redis.call('hset', KEYS[10], 'tokens', tokens - k, 'at', now)
return {1, k, serving + k}
`;
