// The Redis keys of one event's waiting room (the client adds REDIS_KEY_PREFIX). The event id in
// braces is a hash tag: in a Redis Cluster every key of a room lives on one slot, so the room's
// scripts stay atomic there too.

export interface RoomKeys {
  /** hash user id → queue number (0 while in the pre-queue). */
  users: string;
  /** hash queue number → user id. */
  byNumber: string;
  /** list of user ids who joined before opening, in arrival order (drawn at opening). */
  pre: string;
  /** counter: queue numbers handed out (INCR). */
  issued: string;
  /** the seed of the opening draw; its presence means the room is open. */
  opened: string;
  /** counter: numbers up to this have been admitted ("now serving"). */
  serving: string;
  /** sorted set user id → end of shopping window (ms): who occupies a shopping slot. */
  active: string;
  /** hash user id → end of shopping window (ms): everyone ever admitted (their token's expiry). */
  admitted: string;
  /** hash user id → signed admission token. */
  tokens: string;
  /** present while every seat is sold and none is held. */
  soldOut: string;
  /** hash: the admission rate's token bucket (tokens, at). */
  bucket: string;
  /** list of "ms:serving" samples, newest first: the measured admission rate. */
  samples: string;
  /** the replica running this room's admission loop, with a TTL. */
  leader: string;
}

export function roomKeys(eventId: string): RoomKeys {
  const k = (name: string) => `queue:{${eventId}}:${name}`;
  return {
    users: k("users"),
    byNumber: k("by-number"),
    pre: k("pre"),
    issued: k("issued"),
    opened: k("opened"),
    serving: k("serving"),
    active: k("active"),
    admitted: k("admitted"),
    tokens: k("tokens"),
    soldOut: k("sold-out"),
    bucket: k("bucket"),
    samples: k("samples"),
    leader: k("leader"),
  };
}
