// The edge process's live seat maps: one feed per event with open streams (so one seat-channel
// subscription per event, however many streams), created by the first stream and closed with the
// last. Heartbeats go to every stream from one timer.
import type { Logger } from "#platform";
import type { SeatChannel } from "../cache/seat-channel.ts";
import { EventFeed, type FeedSettings, type LoadedEvent, type Watcher } from "./event-feed.ts";
import { Heartbeat } from "./feed-updates.ts";

export interface HubSettings extends FeedSettings {
  heartbeatMs: number;
}

export class AvailabilityHub {
  private readonly opening = new Map<string, Promise<EventFeed>>();
  private readonly feeds = new Map<string, EventFeed>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      channel: SeatChannel;
      load: (eventId: string) => Promise<LoadedEvent>;
      logger: Logger;
      settings: HubSettings;
    },
  ) {}

  /**
   * Opens a stream of the event (a section's, when `sectionId` is set): checks the event and the
   * section (NotFound), then calls `start` — which commits the response — and attaches the watcher
   * it returns, in the same tick. Resolves to the function that detaches it.
   */
  async watch(eventId: string, sectionId: string, after: bigint | undefined, start: () => Watcher) {
    const feed = await this.feed(eventId);
    let watcher: Watcher;
    try {
      feed.checkSection(sectionId);
      watcher = start();
    } catch (err) {
      if (feed.watchers.size === 0) this.drop(feed);
      throw err;
    }
    feed.add(watcher, after);
    this.heartbeat ??= setInterval(() => this.beat(), this.deps.settings.heartbeatMs);
    return () => this.leave(feed, watcher);
  }

  /** Streams open, and events followed. */
  get size(): { streams: number; events: number } {
    let streams = 0;
    for (const feed of this.feeds.values()) streams += feed.watchers.size;
    return { streams, events: this.feeds.size };
  }

  /** Ends every stream (the edge is shutting down; a hijacked response would keep it open). */
  close(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const feed of this.feeds.values()) feed.close();
    this.feeds.clear();
  }

  private async feed(eventId: string): Promise<EventFeed> {
    for (;;) {
      const open = this.feeds.get(eventId);
      if (open) return open;
      let opening = this.opening.get(eventId);
      if (!opening) {
        const feed = new EventFeed(eventId, this.deps);
        opening = feed.open().then(() => {
          this.feeds.set(eventId, feed);
          return feed;
        });
        this.opening.set(eventId, opening);
        // Failures are not kept: the next stream of the event tries again.
        void opening.then(
          () => this.opening.delete(eventId),
          () => this.opening.delete(eventId),
        );
      }
      const feed = await opening;
      // Its last stream may have closed it while this one waited: open it again.
      if (!feed.closed) return feed;
    }
  }

  private leave(feed: EventFeed, watcher: Watcher): void {
    feed.remove(watcher);
    if (feed.watchers.size === 0) this.drop(feed);
  }

  private drop(feed: EventFeed): void {
    if (feed.closed) return;
    feed.close();
    if (this.feeds.get(feed.eventId) === feed) this.feeds.delete(feed.eventId);
    if (this.feeds.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  private beat(): void {
    for (const feed of this.feeds.values()) {
      const beat = new Heartbeat(feed.sequence);
      for (const watcher of feed.watchers) watcher.send(beat);
    }
  }
}
