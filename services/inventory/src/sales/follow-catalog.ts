import { setTimeout as sleep } from "node:timers/promises";
import { FeedFollower, type Logger } from "#platform";
import type { CatalogSaleFeed } from "./catalog-sale-feed.ts";
import type { SaleChange, SaleWindows } from "./sale-windows.ts";

/**
 * Keeps the sale windows current from the catalog's feed. On a first start (nothing applied) the
 * catalog's export fills them first — the demo seed writes events without feed entries — retried
 * with backoff until the catalog answers (it may start after inventory). Runs in the background:
 * inventory serves meanwhile, deciding from its stored copy.
 */
export function followCatalog(
  feed: CatalogSaleFeed,
  windows: SaleWindows,
  options: { pollMs: number; logger: Logger },
): { stop(): Promise<void> } {
  const follower = new FeedFollower<SaleChange, { appliedCount: number }>(feed, windows, options);
  const stopping = new AbortController();
  const started = (async () => {
    for (let attempt = 0; !stopping.signal.aborted; attempt++) {
      try {
        const { appliedSequence } = await windows.position();
        if (appliedSequence === 0n) {
          const stored = await windows.importAll(feed.exportWindows());
          options.logger.info({ stored }, "sale windows imported from the catalog");
        }
        return await follower.start();
      } catch (err) {
        if (attempt === 0)
          options.logger.warn({ err: (err as Error).message }, "sale windows: catalog not ready");
        await sleep(Math.min(500 * 2 ** attempt, 30_000), undefined, { signal: stopping.signal }).catch(
          () => {},
        );
      }
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await started;
      await follower.stop();
    },
  };
}
