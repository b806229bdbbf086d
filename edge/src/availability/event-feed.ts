// One event's live seat map in one edge process, shared by all of its open streams: subscribed
// once to the event's seat channel, loaded once from inventory, then moved by the channel's
// changes, which it coalesces into one batch per window and fans out. It keeps the last batches
// (a short ring) so that a stream that reconnects with the last sequence number it saw gets only
// what it missed — from this edge or any other, since the numbers are inventory's, per event.
import { Code, ConnectError } from "@connectrpc/connect";
import type { Ticket } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import type { SeatChange } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import type { Logger } from "#platform";
import type { SeatChannel } from "../cache/seat-channel.ts";
import { Changes, Snapshot, type Update } from "./feed-updates.ts";
import { SeatMapState, type SeatMove } from "./seat-map-state.ts";

/** One open stream. */
export interface Watcher {
  /** The section whose seats it shows; "" for counts only. */
  readonly sectionId: string;
  send(update: Update): void;
  /** The feed is going away (the edge is shutting down): end the stream. */
  close(): void;
}

/** The event as loaded: its venue's sections, every ticket, and the sequence number that reflects. */
export interface LoadedEvent {
  sectionIds: ReadonlySet<string>;
  tickets: Ticket[];
  sequence: bigint;
}

export interface FeedSettings {
  /** Changes are sent at most this long after the first of a batch arrived. */
  coalesceMs: number;
  /** Batches kept for resuming streams. */
  ringSize: number;
  /** Reloads after a gap in the sequence are at least this far apart. */
  minReloadIntervalMs: number;
}

export interface FeedDeps {
  channel: SeatChannel;
  load: (eventId: string) => Promise<LoadedEvent>;
  logger: Logger;
  settings: FeedSettings;
}

export class EventFeed {
  readonly watchers = new Set<Watcher>();
  closed = false;
  private state: SeatMapState | undefined;
  private sectionIds: ReadonlySet<string> = new Set();
  /** Last change applied to `state`, and last one sent to the watchers. */
  private applied = 0n;
  private flushed = 0n;
  /** Changes that arrive while (re)loading, applied on top of what was loaded. */
  private buffer: SeatChange[] | undefined = [];
  private readonly pending = new Map<string, SeatMove>();
  private readonly pendingSections = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ring: Changes[] = [];
  private snapshotCache: Snapshot | undefined;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  private lastReload = 0;
  private stopResumed: (() => void) | undefined;
  private readonly listener = (change: SeatChange) => {
    if (this.buffer) this.buffer.push(change);
    else this.onChange(change);
  };

  constructor(
    readonly eventId: string,
    private readonly deps: FeedDeps,
  ) {}

  /** Subscribes (confirmed) and then loads, so no change falls between the two. */
  async open(): Promise<void> {
    try {
      await this.deps.channel.subscribeEvent(this.eventId, this.listener);
    } catch {
      this.deps.channel.unsubscribeEvent(this.eventId, this.listener);
      throw new ConnectError("live seat maps are unavailable: Redis did not answer", Code.Unavailable);
    }
    try {
      this.install(await this.deps.load(this.eventId));
    } catch (err) {
      this.deps.channel.unsubscribeEvent(this.eventId, this.listener);
      throw err;
    }
    // Messages published while the subscriber was reconnecting are lost: load again.
    this.stopResumed = this.deps.channel.onResumed(() => this.reload("seat channel reconnected"));
  }

  get sequence(): bigint {
    return this.flushed;
  }

  checkSection(sectionId: string): void {
    if (sectionId && !this.sectionIds.has(sectionId)) {
      throw new ConnectError(`section ${sectionId} is not part of event ${this.eventId}`, Code.NotFound);
    }
  }

  /**
   * Adds a stream. With `after` (the last sequence it saw) it gets only the batches since, when
   * the ring still holds all of them; otherwise, or without `after`, a snapshot first.
   */
  add(watcher: Watcher, after?: bigint): void {
    this.watchers.add(watcher);
    if (after !== undefined) {
      if (after === this.flushed) return;
      const oldest = this.ring[0];
      if (oldest && oldest.from <= after && after < this.flushed) {
        for (const batch of this.ring) if (batch.sequence > after && !batch.empty) watcher.send(batch);
        return;
      }
    }
    watcher.send(this.snapshot());
  }

  remove(watcher: Watcher): void {
    this.watchers.delete(watcher);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.stopResumed?.();
    this.deps.channel.unsubscribeEvent(this.eventId, this.listener);
    for (const watcher of this.watchers) watcher.close();
    this.watchers.clear();
  }

  private snapshot(): Snapshot {
    const state = this.state as SeatMapState;
    this.snapshotCache ??= new Snapshot(this.eventId, this.flushed, state.counts(), (id) => state.seats(id));
    return this.snapshotCache;
  }

  private install(loaded: LoadedEvent): void {
    this.sectionIds = loaded.sectionIds;
    this.state = new SeatMapState(loaded.tickets);
    this.applied = this.flushed = loaded.sequence;
    this.snapshotCache = undefined;
    this.drainBuffer();
  }

  private drainBuffer(): void {
    const buffered = this.buffer ?? [];
    this.buffer = undefined;
    for (const change of buffered) if (change.sequence > this.applied) this.onChange(change);
  }

  private onChange(change: SeatChange): void {
    const state = this.state;
    if (!state || this.closed) return;
    if (change.sequence <= this.applied) {
      this.reload("sequence went back (counter reset)");
      return;
    }
    // A gap: some changes were lost (or the load could not read the sequence: 0). This one still
    // applies (statuses are absolute); the reload finds what the lost ones did.
    if (change.sequence !== this.applied + 1n) this.reload("gap in the sequence");
    const moves = state.apply(change);
    if (!moves) {
      this.reload("a ticket this edge did not load");
      return;
    }
    this.applied = change.sequence;
    this.queue(moves);
  }

  private queue(moves: SeatMove[]): void {
    for (const move of moves) {
      this.pending.set(move.ticketId, move);
      this.pendingSections.add(move.sectionId);
    }
    if (moves.length > 0) this.snapshotCache = undefined;
    this.timer ??= setTimeout(() => this.flush(), this.deps.settings.coalesceMs);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.closed || !this.state) return;
    const batch = new Changes(
      this.flushed,
      this.applied,
      this.state.counts(this.pendingSections),
      this.pending.values(),
    );
    this.pending.clear();
    this.pendingSections.clear();
    this.flushed = this.applied;
    this.snapshotCache = undefined;
    this.ring.push(batch);
    if (this.ring.length > this.deps.settings.ringSize) this.ring.shift();
    if (!batch.empty) for (const watcher of this.watchers) watcher.send(batch);
  }

  /** Loads the event again and sends the difference (or, when that cannot be had, a snapshot). */
  private reload(reason: string): void {
    if (this.closed) return;
    if (this.reloading) {
      this.reloadAgain = true;
      return;
    }
    this.deps.logger.info({ eventId: this.eventId, reason }, "reloading the live seat map");
    this.buffer ??= [];
    this.reloading = this.reloadOnce().finally(() => {
      this.reloading = undefined;
      if (this.reloadAgain) {
        this.reloadAgain = false;
        this.reload("changed while reloading");
      }
    });
  }

  private async reloadOnce(): Promise<void> {
    const wait = this.lastReload + this.deps.settings.minReloadIntervalMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.lastReload = Date.now();
    let loaded: LoadedEvent;
    try {
      loaded = await this.deps.load(this.eventId);
    } catch (err) {
      this.deps.logger.warn({ eventId: this.eventId, err: String(err) }, "reloading the seat map failed");
      this.drainBuffer();
      return;
    }
    if (this.closed || !this.state) return;
    const fresh = new SeatMapState(loaded.tickets);
    const moves = loaded.sequence >= this.applied ? this.state.diffTo(fresh) : undefined;
    if (moves) {
      this.sectionIds = loaded.sectionIds;
      this.applied = loaded.sequence;
      this.drainBuffer();
      this.queue(moves);
      return;
    }
    // The counter was reset or the tickets changed: the ring no longer joins up with the present.
    this.ring = [];
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.pendingSections.clear();
    this.install(loaded);
    const snapshot = this.snapshot();
    for (const watcher of this.watchers) watcher.send(snapshot);
  }
}
