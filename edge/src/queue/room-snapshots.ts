// Each event's waiting-room counters as this edge process knows them: one GetQueueSnapshot call
// per event per EDGE_QUEUE_POLL_MS, however many buyers ask for their place or keep a stream
// open, so the queue's load does not grow with the number of waiters.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Client } from "@connectrpc/connect";
import type { QueueService, QueueSnapshot } from "#gen/ticketing/queue/v1/queue_pb.js";
import type { Logger } from "#platform";

export interface RoomView {
  enabled: boolean;
  opened: boolean;
  serving: number;
  soldOut: boolean;
  ratePerMinute: number;
  opensAtMs: number | undefined;
}

type Listener = (view: RoomView) => void;

interface Entry {
  view?: RoomView;
  /** When `view` was last answered by the queue. */
  viewAtMs: number;
  error?: unknown;
  atMs: number;
  loading?: Promise<RoomView>;
  listeners: Set<Listener>;
  timer?: NodeJS.Timeout;
}

const viewOf = (s: QueueSnapshot | undefined): RoomView => ({
  enabled: s?.enabled ?? false,
  opened: s?.opened ?? false,
  serving: Number(s?.serving ?? 0n),
  soldOut: s?.soldOut ?? false,
  ratePerMinute: s?.admissionRatePerMinute ?? 0,
  opensAtMs: s?.opensAt ? timestampMs(s.opensAt) : undefined,
});

const maxRooms = 10_000;

export class RoomSnapshots {
  private readonly rooms = new Map<string, Entry>();

  constructor(
    private readonly queue: Client<typeof QueueService>,
    private readonly pollMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The event's counters, at most `pollMs` old; concurrent misses share one call. */
  async get(eventId: string): Promise<RoomView> {
    const entry = this.entry(eventId);
    if (this.now() - entry.atMs < this.pollMs) {
      if (entry.view) return entry.view;
      if (entry.error) throw entry.error;
    }
    return this.load(eventId, entry);
  }

  /** Calls `listener` with the counters after every poll while it is registered; returns the unsubscribe. */
  watch(eventId: string, listener: Listener): () => void {
    const entry = this.entry(eventId);
    entry.listeners.add(listener);
    entry.timer ??= setInterval(() => {
      this.load(eventId, entry).then(
        (view) => {
          for (const l of entry.listeners) l(view);
        },
        () => undefined,
      );
    }, this.pollMs);
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0) {
        clearInterval(entry.timer);
        delete entry.timer;
      }
    };
  }

  stop(): void {
    for (const entry of this.rooms.values()) clearInterval(entry.timer);
    this.rooms.clear();
  }

  private entry(eventId: string): Entry {
    let entry = this.rooms.get(eventId);
    if (!entry) {
      if (this.rooms.size >= maxRooms) this.evictIdle();
      entry = { atMs: 0, viewAtMs: 0, listeners: new Set() };
      this.rooms.set(eventId, entry);
    }
    return entry;
  }

  private load(eventId: string, entry: Entry): Promise<RoomView> {
    entry.loading ??= this.queue
      .getQueueSnapshot({ eventId }, { timeoutMs: 3000 })
      .then(
        ({ snapshot }) => {
          entry.view = viewOf(snapshot);
          entry.viewAtMs = this.now();
          delete entry.error;
          return entry.view;
        },
        (err: unknown) => {
          this.logger.debug({ err: (err as Error).message, eventId }, "queue snapshot failed");
          // A view from a moment ago beats an error while the queue recovers; an unknown event stays an error.
          if (entry.view && this.now() - entry.viewAtMs < 30_000) return entry.view;
          entry.error = err;
          throw err;
        },
      )
      .finally(() => {
        entry.atMs = this.now();
        delete entry.loading;
      });
    return entry.loading;
  }

  private evictIdle(): void {
    for (const [id, entry] of this.rooms) if (entry.listeners.size === 0) this.rooms.delete(id);
  }
}
