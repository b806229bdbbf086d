import type { Redis } from "ioredis";
import { type Logger, Periodic } from "#platform";
import type { Clock } from "../clock.ts";
import { expiryIndexKey, type SeatChanges } from "./seat-changes.ts";

/**
 * A lease that runs out is silent: Redis drops the key and tells no one. So that open seat maps
 * show an abandoned hold as released within a couple of seconds, this reads the expiry index (events
 * by their earliest hold expiry) every `intervalMs` and, per due event, runs one Lua step that
 * removes the run-out tickets from the held set and announces them as EXPIRED on the seat channel.
 * The removal is the claim: several inventory replicas may sweep at once, and only one of them finds
 * (and announces) a given expiry. Display only — the leases still decide who may book.
 *
 * Why not keyspace notifications (`notify-keyspace-events Ex`): the lease keys are ticket ids on
 * every Redlock master (one expiry event per master, none saying which event the ticket is of),
 * expiry events fire when Redis gets round to deleting the key rather than at the TTL, pub/sub loses
 * them while a subscriber reconnects (this index keeps them until swept), and it would mean changing
 * a setting of a Redis that may be shared.
 */
export class ExpirySweeper {
  private readonly loop: Periodic;

  constructor(
    private readonly redis: Redis,
    private readonly changes: SeatChanges,
    private readonly clock: Clock,
    private readonly settings: { intervalMs: number; batchSize?: number },
    logger: Logger,
  ) {
    this.loop = new Periodic(
      () => this.runOnce(),
      settings.intervalMs,
      (err: unknown) => logger.warn({ err: (err as Error).message }, "hold expiry sweep failed; retrying"),
    );
  }

  /** One pass; resolves to how many tickets it announced as expired. */
  async runOnce(): Promise<number> {
    const now = this.clock.now().getTime();
    const due = await this.redis.zrangebyscore(
      expiryIndexKey,
      "-inf",
      String(now),
      "LIMIT",
      0,
      this.settings.batchSize ?? 100,
    );
    let expired = 0;
    for (const eventId of due) expired += await this.changes.expire(eventId, now);
    return expired;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
