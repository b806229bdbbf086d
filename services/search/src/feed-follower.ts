// Follows the change feed: applies changes after the stored cursor in order, as soon as the
// catalog announces them (pub/sub) or at the latest after one poll interval.
import type { Logger } from "#platform";
import type { ChangeFeed } from "./change-feed.ts";
import type { IndexWriter } from "./index-writer.ts";

export interface FeedFollowerOptions {
  pollMs: number;
  batch?: number;
  logger: Logger;
  /** Called after each batch that changed the index, with the new index version. */
  onApplied?: (indexVersion: bigint) => Promise<void> | void;
}

export class FeedFollower {
  private running = false;
  private wakeUp: (() => void) | null = null;
  private pendingWake = false;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  private failures = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly writer: IndexWriter,
    private readonly options: FeedFollowerOptions,
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
      const { appliedSequence } = await this.writer.position();
      const changes = await this.feed.listChanges(appliedSequence, batch);
      if (changes.length === 0) return applied;
      const result = await this.writer.apply(changes);
      if (result.appliedCount > 0) await this.options.onApplied?.(result.indexVersion);
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
        // Back off while the catalog (or the database) is away; log the first failure only.
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
