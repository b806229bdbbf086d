import { Code, ConnectError } from "@connectrpc/connect";
import type { FeedSink, Logger } from "#platform";
import type { Clock } from "../clock.ts";
import { notOnSale, type SaleWindow, saleRefusal } from "./sale-window.ts";
import type { SaleWindowRepository } from "./sale-window-repository.ts";

/** One entry of the catalog's feed as inventory reads it: the event's window after the change. */
export interface SaleChange {
  sequence: bigint;
  eventId: string;
  /** Undefined when the event was removed (or has no window). */
  window: SaleWindow | undefined;
}

export const catalogFeedName = "catalog";

/**
 * Whether an event's tickets may be sold now, from inventory's own copy of its status and window
 * (`inventory.event_sale`), cached in this process per event. The copy is written at provisioning
 * and by the catalog feed's follower (this is its sink), which also updates the cache: a
 * cancellation stops sales here as soon as the follower applies it (pub/sub wake-up, then one
 * ListChanges round trip; at worst one poll interval when the wake-up is lost).
 */
export class SaleWindows implements FeedSink<SaleChange, { appliedCount: number }> {
  private readonly cache = new Map<string, SaleWindow>();
  /** Loads in flight per event: an onsale's first thousand requests share one read. */
  private readonly loading = new Map<string, Promise<SaleWindow | undefined>>();
  private applied: bigint | undefined;

  constructor(
    private readonly repository: SaleWindowRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Throws `not_on_sale` (FailedPrecondition) saying why, unless the event is on sale now; NotFound
   * when inventory has no window for it (never provisioned, or removed from the catalog).
   */
  async check(eventId: string): Promise<void> {
    const window = await this.window(eventId);
    if (!window) throw new ConnectError(`no event ${eventId} with tickets on sale`, Code.NotFound);
    const refusal = saleRefusal(window, this.clock.now());
    if (refusal) throw notOnSale(refusal);
  }

  /** Stores a window read from the catalog (provisioning), unless a newer one is stored. */
  async save(window: SaleWindow): Promise<void> {
    await this.repository.save([window]);
    this.remember(window);
  }

  /**
   * A first start (nothing applied yet): every event's window from the catalog's export, with the
   * feed position read before its first page, so following the feed from there misses nothing.
   */
  async importAll(pages: AsyncIterable<{ windows: SaleWindow[]; sequence: bigint }>): Promise<number> {
    let from: bigint | undefined;
    let stored = 0;
    for await (const page of pages) {
      from ??= page.sequence;
      stored += await this.repository.save(page.windows, { feed: catalogFeedName, sequence: from });
      for (const window of page.windows) this.remember(window);
    }
    if (from !== undefined && (this.applied === undefined || from > this.applied)) this.applied = from;
    return stored;
  }

  // FeedSink: the follower's position is per process (every replica keeps its own cache current),
  // starting from the stored one; the stored one only moves forward.
  async position(): Promise<{ appliedSequence: bigint }> {
    this.applied ??= await this.repository.position(catalogFeedName);
    return { appliedSequence: this.applied };
  }

  async apply(changes: SaleChange[]): Promise<{ appliedCount: number }> {
    // The last change of each event wins (changes arrive in order).
    const latest = new Map(changes.map((c) => [c.eventId, c]));
    const windows = [...latest.values()].flatMap((c) => (c.window ? [c.window] : []));
    const removed = [...latest.values()].filter((c) => !c.window).map((c) => c.eventId);
    let sequence = 0n;
    for (const c of changes) if (c.sequence > sequence) sequence = c.sequence;
    await this.repository.remove(removed);
    await this.repository.save(windows, { feed: catalogFeedName, sequence });
    for (const id of removed) this.cache.delete(id);
    for (const window of windows) this.remember(window);
    if (this.applied === undefined || sequence > this.applied) this.applied = sequence;
    const stopped = windows.filter((w) => w.status === "CANCELLED").map((w) => w.eventId);
    if (stopped.length > 0) this.logger.info({ events: stopped }, "sales stopped: events cancelled");
    return { appliedCount: changes.length };
  }

  private async window(eventId: string): Promise<SaleWindow | undefined> {
    const cached = this.cache.get(eventId);
    if (cached) return cached;
    let load = this.loading.get(eventId);
    if (!load) {
      // Not cached when missing: another replica may provision it a moment later.
      load = this.repository.find(eventId).then((stored) => {
        if (stored) this.remember(stored);
        return stored;
      });
      this.loading.set(eventId, load);
      void load.finally(() => this.loading.delete(eventId)).catch(() => undefined);
    }
    return load;
  }

  private remember(window: SaleWindow): void {
    const cached = this.cache.get(window.eventId);
    if (!cached || cached.version <= window.version) this.cache.set(window.eventId, window);
  }
}
