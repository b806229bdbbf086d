import { FeedFollower, type Logger } from "#platform";
import type { CatalogSaleFeed } from "./catalog-sale-feed.ts";
import type { SaleChange, SaleWindows } from "./sale-windows.ts";

/**
 * Keeps the sale windows current from the catalog's feed. On a first start (nothing applied) the
 * catalog's export fills them first — the demo seed writes events without feed entries. Runs in
 * the background: inventory serves while the catalog is away, deciding from its stored copy.
 */
export function followCatalog(
  feed: CatalogSaleFeed,
  windows: SaleWindows,
  options: { pollMs: number; logger: Logger },
): { stop(): Promise<void> } {
  const follower = new FeedFollower<SaleChange, { appliedCount: number }>(feed, windows, options);
  let stopped = false;
  const started = (async () => {
    const { appliedSequence } = await windows.position();
    if (appliedSequence === 0n) {
      const stored = await windows.importAll(feed.exportWindows()).catch((err: unknown) => {
        options.logger.warn({ err: (err as Error).message }, "sale windows: the catalog's export failed");
        return 0;
      });
      options.logger.info({ stored }, "sale windows imported from the catalog");
    }
    if (!stopped) await follower.start();
  })().catch((err: unknown) =>
    options.logger.error({ err: (err as Error).message }, "sale feed did not start"),
  );
  return {
    async stop() {
      stopped = true;
      await started;
      await follower.stop();
    },
  };
}
