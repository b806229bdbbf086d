import type { Client } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import type { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { type FeedSource, wakeOnMessage } from "#platform";
import { type SaleWindow, windowOf } from "./sale-window.ts";
import type { SaleChange } from "./sale-windows.ts";

/**
 * The catalog's change feed (ListChanges over RPC, woken by the catalog's pub/sub message after
 * each commit) read as sale windows; and its export, for a first start with nothing applied yet.
 */
export class CatalogSaleFeed implements FeedSource<SaleChange> {
  constructor(
    private readonly catalog: Client<typeof CatalogService>,
    /** A dedicated connection: a subscribed ioredis client can do nothing else. */
    private readonly subscriber: Redis,
    /** `<REDIS_KEY_PREFIX>catalog:changes`: pub/sub channels are not prefixed by ioredis. */
    private readonly channel: string,
  ) {}

  async listChanges(afterSequence: bigint, limit: number): Promise<SaleChange[]> {
    const res = await this.catalog.listChanges({ afterSequence, limit }, { timeoutMs: 10_000 });
    return res.changes.map((c) => ({
      sequence: c.sequence,
      eventId: c.eventId,
      window: windowOf(c.document?.event),
    }));
  }

  onChanges(wake: () => void): Promise<() => Promise<void>> {
    return wakeOnMessage(this.subscriber, this.channel, wake);
  }

  /**
   * Every event's window, page by page, and the feed position read before the first page:
   * following the feed from there after the export loses nothing.
   */
  async *exportWindows(pageSize = 1000): AsyncGenerator<{ windows: SaleWindow[]; sequence: bigint }> {
    let after = "";
    for (;;) {
      const res = await this.catalog.exportEvents(
        { afterEventId: after, limit: pageSize },
        { timeoutMs: 30_000 },
      );
      const windows = res.documents.flatMap((d) => windowOf(d.event) ?? []);
      yield { windows, sequence: res.sequence };
      const last = res.documents.at(-1)?.event?.id;
      if (!last || res.documents.length < pageSize) return;
      after = last;
    }
  }
}
