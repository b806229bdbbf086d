// Keeps the index in step with the catalog in the background while the service already serves:
// a never-built index is first rebuilt from the export, then the feed is followed from there.
import type { FeedFollower, Logger } from "#platform";
import type { FeedChange } from "./change-feed.ts";
import type { ApplyResult, IndexWriter } from "./index-writer.ts";
import type { Rebuilder } from "./rebuilder.ts";

export interface IndexSyncDeps {
  writer: IndexWriter;
  rebuilder: Rebuilder;
  follower: FeedFollower<FeedChange, ApplyResult>;
  logger: Logger;
  autoRebuild: boolean;
  onRebuilt?: (indexVersion: bigint) => Promise<void> | void;
  /** Called once the index holds the catalog (built earlier, or just rebuilt). */
  onReady?: () => void;
  retryMs?: number;
}

export class IndexSync {
  private stopped = false;
  private task: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private wakeRetry: (() => void) | null = null;

  constructor(private readonly deps: IndexSyncDeps) {}

  /** Starts in the background; a failure to reach the catalog is retried, never thrown. */
  start(): void {
    this.task ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.wakeRetry?.();
    await this.task;
    await this.deps.follower.stop();
  }

  private async run(): Promise<void> {
    const { logger } = this.deps;
    let attempt = 0;
    while (!this.stopped) {
      try {
        const { builtAt } = await this.deps.writer.position();
        if (builtAt === null && this.deps.autoRebuild) {
          logger.info("search index never built: rebuilding from the catalog export");
          const result = await this.deps.rebuilder.rebuild();
          logger.info(
            {
              documents: result.documents,
              sequence: result.appliedSequence.toString(),
              ms: result.elapsedMs,
            },
            "search index built",
          );
          await this.deps.onRebuilt?.(result.indexVersion);
        }
        this.deps.onReady?.();
        if (!this.stopped) await this.deps.follower.start();
        return;
      } catch (err) {
        if (attempt++ === 0) logger.warn({ err: String(err) }, "initial index build failed; retrying");
        await this.pause(Math.min((this.deps.retryMs ?? 1000) * 2 ** attempt, 30_000));
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeRetry = resolve;
      this.retryTimer = setTimeout(resolve, ms);
    });
  }
}
