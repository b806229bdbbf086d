// One Redis subscriber connection per edge process for inventory's seat channels (`SeatChange`
// protos on `<prefix>seats:<eventId>`), fanned out to any number of listeners: those that follow
// every event (the refusal cache, one PSUBSCRIBE) and those that follow one event (live seat maps:
// one SUBSCRIBE per event however many streams watch it, dropped with the event's last listener).
// The connection is opened with the first listener and closed with the last.
import { fromBinary } from "@bufbuild/protobuf";
import type { Redis } from "ioredis";
import {
  type SeatChange,
  SeatChangeKind,
  SeatChangeSchema,
} from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { seatChannel, seatChannels } from "#platform";

export type SeatListener = (change: SeatChange) => void;

export class SeatChannel {
  private readonly everyEvent = new Set<SeatListener>();
  private readonly perEvent = new Map<string, Set<SeatListener>>();
  /** Called when the subscriber connection is back after a drop: messages may have been missed. */
  private readonly resumed = new Set<() => void>();
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    /** The Redis key prefix inventory publishes under (its channels are not key-prefixed by ioredis). */
    private readonly channelPrefix: string,
  ) {}

  /** Follows every event's changes. */
  subscribe(listener: SeatListener): void {
    this.everyEvent.add(listener);
    if (this.everyEvent.size === 1)
      void this.connection()
        .psubscribe(this.pattern)
        .catch(() => undefined);
  }

  unsubscribe(listener: SeatListener): void {
    if (!this.everyEvent.delete(listener)) return;
    if (this.everyEvent.size === 0) void this.subscriber?.punsubscribe(this.pattern).catch(() => undefined);
    this.closeIfIdle();
  }

  /** Follows one event's changes; resolves once Redis confirmed the subscription. */
  async subscribeEvent(eventId: string, listener: SeatListener): Promise<void> {
    let listeners = this.perEvent.get(eventId);
    if (!listeners) {
      listeners = new Set();
      this.perEvent.set(eventId, listeners);
    }
    listeners.add(listener);
    // Every caller waits for the confirmation (SUBSCRIBE of a channel already subscribed is a no-op
    // for Redis, and answers after the first one did).
    await this.connection().subscribe(seatChannel(this.channelPrefix, eventId));
  }

  unsubscribeEvent(eventId: string, listener: SeatListener): void {
    const listeners = this.perEvent.get(eventId);
    if (!listeners?.delete(listener)) return;
    if (listeners.size === 0) {
      this.perEvent.delete(eventId);
      void this.subscriber?.unsubscribe(seatChannel(this.channelPrefix, eventId)).catch(() => undefined);
    }
    this.closeIfIdle();
  }

  /** `callback` runs whenever the connection came back after a drop (its subscriptions are renewed). */
  onResumed(callback: () => void): () => void {
    this.resumed.add(callback);
    return () => this.resumed.delete(callback);
  }

  /** Listeners following every event, and events followed one by one. */
  get listening(): { everyEvent: number; events: number } {
    return { everyEvent: this.everyEvent.size, events: this.perEvent.size };
  }

  private get pattern(): string {
    return seatChannels.pattern(this.channelPrefix);
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.redis.duplicate();
    subscriber.on("error", () => undefined); // reconnects on its own and renews its subscriptions
    let connectedBefore = false;
    subscriber.on("ready", () => {
      if (connectedBefore) for (const callback of this.resumed) callback();
      connectedBefore = true;
    });
    subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) => {
      const change = decode(message);
      const listeners =
        change && this.perEvent.get(seatChannels.eventOf(this.channelPrefix, channel.toString()));
      if (listeners) for (const listener of listeners) listener(change);
    });
    subscriber.on("pmessageBuffer", (_pattern: Buffer, _channel: Buffer, message: Buffer) => {
      const change = decode(message);
      if (change) for (const listener of this.everyEvent) listener(change);
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  private closeIfIdle(): void {
    if (this.everyEvent.size > 0 || this.perEvent.size > 0 || !this.subscriber) return;
    this.subscriber.disconnect();
    this.subscriber = undefined;
  }
}

/** The change in a channel message, or undefined when it is not one of ours. */
function decode(message: Buffer): SeatChange | undefined {
  try {
    const change = fromBinary(SeatChangeSchema, message);
    return change.kind === SeatChangeKind.UNSPECIFIED || change.eventId === "" ? undefined : change;
  } catch {
    return undefined;
  }
}
