import { randomInt } from "node:crypto";
import type { Redis } from "ioredis";
import { type RoomKeys, roomKeys } from "./room-keys.ts";
import { admitScript, joinScript, scriptKeyCount, scriptKeys } from "./room-scripts.ts";

/** What one buyer's place reads as: a handful of O(1) commands, however long the queue is. */
export interface Place {
  number: number;
  serving: number;
  /** End of the shopping window when admitted (ms). */
  windowEndMs: number | undefined;
  token: string | undefined;
  soldOut: boolean;
}

/** The counters every waiter of a room shares. */
export interface RoomCounters {
  opened: boolean;
  serving: number;
  issued: number;
  soldOut: boolean;
  /** Admissions per minute over about the last minute of admission steps (0 without samples). */
  ratePerMinute: number;
}

export interface AdmitLimits {
  nowMs: number;
  opensAtMs: number;
  maxActiveShoppers: number;
  admissionsPerMinute: number;
  shoppingWindowMs: number;
  available: number;
  held: number;
}

export type AdmitResult =
  | { phase: "not_open" }
  | { phase: "sold_out"; serving: number }
  | { phase: "ran"; admitted: number; serving: number };

const toInt = (value: string | null | undefined) => (value ? Number(value) : 0);

interface RoomCommands {
  /** joinScript by EVALSHA (ioredis loads it on NOSCRIPT): 40 bytes instead of the script per join. */
  queueJoin(...args: string[]): Promise<[string, number, ...string[]]>;
}

/** One event's waiting room in Redis: numbers, the "now serving" counter, shopping slots. */
export class RoomStore {
  private readonly redis: Redis & RoomCommands;

  constructor(
    redis: Redis,
    /** Admission steps per minute-long rate window: samples between the two ends of the window. */
    private readonly samplesPerMinute: number,
  ) {
    redis.defineCommand("queueJoin", { numberOfKeys: scriptKeyCount, lua: joinScript });
    this.redis = redis as Redis & RoomCommands;
  }

  keys(eventId: string): RoomKeys {
    return roomKeys(eventId);
  }

  /**
   * Joins each user (existing number, new one, or 0 in the pre-queue; see joinScript) and reads
   * their places back, in order: one Redis call for the whole batch.
   */
  async join(
    eventId: string,
    userIds: readonly string[],
    nowMs: number,
    opensAtMs: number,
  ): Promise<Place[]> {
    const [serving, soldOut, ...fields] = await this.redis.queueJoin(
      ...scriptKeys(roomKeys(eventId)),
      String(nowMs),
      String(opensAtMs),
      String(randomInt(1, 2 ** 31 - 1)),
      ...userIds,
    );
    return userIds.map((_, i) =>
      toPlace(
        fields[3 * i] as string,
        serving,
        fields[3 * i + 1] ?? null,
        fields[3 * i + 2] ?? null,
        soldOut,
      ),
    );
  }

  /** Each user's place, or undefined for one who never joined: five commands however many users. */
  async places(eventId: string, userIds: readonly string[]): Promise<(Place | undefined)[]> {
    const k = roomKeys(eventId);
    const [numbers, serving, windowEnds, tokens, soldOut] = await Promise.all([
      this.redis.hmget(k.users, ...userIds),
      this.redis.get(k.serving),
      this.redis.hmget(k.admitted, ...userIds),
      this.redis.hmget(k.tokens, ...userIds),
      this.redis.exists(k.soldOut),
    ]);
    return numbers.map((number, i) =>
      number === null
        ? undefined
        : toPlace(number, serving, windowEnds[i] ?? null, tokens[i] ?? null, soldOut),
    );
  }

  /** Keeps the token signed for an admitted user; the first one written wins (they are identical). */
  async keepToken(eventId: string, userId: string, token: string): Promise<void> {
    await this.redis.hsetnx(roomKeys(eventId).tokens, userId, token);
  }

  async counters(eventId: string): Promise<RoomCounters> {
    const k = roomKeys(eventId);
    const [opened, serving, issued, soldOut, newest, oldest] = await Promise.all([
      this.redis.exists(k.opened),
      this.redis.get(k.serving),
      this.redis.get(k.issued),
      this.redis.exists(k.soldOut),
      this.redis.lindex(k.samples, 0),
      this.redis.lindex(k.samples, this.samplesPerMinute),
    ]);
    return {
      opened: opened === 1,
      serving: toInt(serving),
      issued: toInt(issued),
      soldOut: soldOut === 1,
      ratePerMinute: rateOf(newest, oldest ?? (await this.redis.lindex(k.samples, -1))),
    };
  }

  /** One admission step; only the room's leader calls it. */
  async admit(eventId: string, limits: AdmitLimits): Promise<AdmitResult> {
    const keys = scriptKeys(roomKeys(eventId));
    const [phase, admitted, serving] = (await this.redis.eval(
      admitScript,
      keys.length,
      ...keys,
      String(limits.nowMs),
      String(limits.opensAtMs),
      String(randomInt(1, 2 ** 31 - 1)),
      String(limits.maxActiveShoppers),
      String(limits.admissionsPerMinute),
      String(limits.shoppingWindowMs),
      String(limits.available),
      String(limits.held),
    )) as [number, number, number];
    if (phase === 0) return { phase: "not_open" };
    if (phase === -1) return { phase: "sold_out", serving };
    return { phase: "ran", admitted, serving };
  }

  /** Frees the user's shopping slot; their token stays valid until its expiry. */
  async finish(eventId: string, userId: string): Promise<void> {
    await this.redis.zrem(roomKeys(eventId).active, userId);
  }
}

/** Admissions per minute between two "ms:serving" samples. */
function rateOf(newest: string | null, oldest: string | null): number {
  if (!newest || !oldest) return 0;
  const [t1, s1] = newest.split(":").map(Number);
  const [t0, s0] = oldest.split(":").map(Number);
  if (t1 === undefined || t0 === undefined || s1 === undefined || s0 === undefined || t1 <= t0) return 0;
  return ((s1 - s0) * 60_000) / (t1 - t0);
}

/** A place from its Redis fields (the join script's answer or the reads of `place`). */
function toPlace(
  number: string,
  serving: string | null,
  windowEnd: string | null,
  token: string | null,
  soldOut: number,
): Place {
  return {
    number: Number(number),
    serving: toInt(serving),
    windowEndMs: windowEnd ? Number(windowEnd) : undefined,
    token: token || undefined,
    soldOut: soldOut === 1,
  };
}
