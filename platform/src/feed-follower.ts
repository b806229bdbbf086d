// Follows an ordered change feed: applies changes after the sink's stored position in order, as
// soon as the source announces them (pub/sub) or at the latest after one poll interval. Search
// follows the catalog's feed into its index with it; inventory follows it into its sale windows.
import type { Redis } from "ioredis";
import type { Logger } from "./logger.ts";

/** Where changes come from: ordered by `sequence`, with a wake-up signal when there are new ones. */
export interface FeedSource<C> {
  /** Changes with a sequence greater than `afterSequence`, in order, at most `limit`. */
  listChanges(afterSequence: bigint, limit: number): Promise<C[]>;
  /** Calls `wake` whenever the source announces new changes; returns an unsubscribe function. */
  onChanges(wake: () => void): Promise<() => Promise<void>>;
}

/** Where changes go: it keeps its own position, so a restart resumes where it stopped. */
export interface FeedSink<C, R extends { appliedCount: number }> {
  position(): Promise<{ appliedSequence: bigint }>;
  apply(changes: C[]): Promise<R>;
}

export interface FeedFollowerOptions<R> {
  pollMs: number;
  batch?: number;
  logger: Logger;
  /** Called after each batch that changed something, with what the sink answered. */
  onApplied?: (result: R) => Promise<void> | void;
}

export class FeedFollower<C, R extends { appliedCount: number }> {
  private running = false;
  private wakeUp: (() => void) | null = null;
  private pendingWake = false;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  private failures = 0;

  constructor(
    private readonly feed: FeedSource<C>,
    private readonly sink: FeedSink<C, R>,
    private readonly options: FeedFollowerOptions<R>,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = await this.feed.onChanges(() => this.wake());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.unsubscribe?.();
  }

  /** Applies everything available now; returns how many changes were applied. */
  async catchUp(): Promise<number> {
    const batch = this.options.batch ?? 500;
    let applied = 0;
    for (;;) {
      const { appliedSequence } = await this.sink.position();
      const changes = await this.feed.listChanges(appliedSequence, batch);
      if (changes.length === 0) return applied;
      const result = await this.sink.apply(changes);
      if (result.appliedCount > 0) await this.options.onApplied?.(result);
      applied += result.appliedCount;
      if (changes.length < batch) return applied;
    }
  }

  private wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pendingWake = false;
      let delay = this.options.pollMs;
      try {
        await this.catchUp();
        if (this.failures > 0) this.options.logger.info("change feed reachable again");
        this.failures = 0;
      } catch (err) {
        // Back off while the source (or the database) is away; log the first failure only.
        if (this.failures++ === 0) this.options.logger.warn({ err: String(err) }, "applying changes failed");
        delay = Math.min(this.options.pollMs * 2 ** this.failures, 30_000);
      }
      if (this.running && !this.pendingWake) await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    }).then(() => {
      this.wakeUp = null;
    });
  }
}

/**
 * Calls `wake` on every message of `channel` on a dedicated subscriber connection (a subscribed
 * ioredis client can do nothing else); returns the unsubscribe function `FeedSource.onChanges`
 * answers. Without pub/sub the follower still polls, so a failed subscribe only costs latency.
 */
export async function wakeOnMessage(
  subscriber: Redis,
  channel: string,
  wake: () => void,
): Promise<() => Promise<void>> {
  const listener = (from: string) => {
    if (from === channel) wake();
  };
  subscriber.on("message", listener);
  await subscriber.subscribe(channel).catch(() => undefined);
  return async () => {
    subscriber.off("message", listener);
    await subscriber.unsubscribe(channel).catch(() => undefined);
  };
}
