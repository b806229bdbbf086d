// One subscription per edge process to inventory's seat channels (`<prefix>seats:<eventId>`, on
// which it publishes holds, releases and sales), fanned out to any number of listeners. The Redis
// subscriber connection is opened with the first listener and closed with the last.
import type { Redis } from "ioredis";

/** What inventory publishes about seats of one event: ticket ids, and whose they now are. */
export interface SeatChange {
  held?: string[];
  sold?: string[];
  released?: string[];
  /** The holder or buyer, when the change has one. */
  by?: string;
}

export type SeatListener = (eventId: string, change: SeatChange) => void;

export class SeatChannel {
  private readonly listeners = new Set<SeatListener>();
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    /** The Redis key prefix inventory publishes under (its channels are not key-prefixed by ioredis). */
    private readonly channelPrefix: string,
  ) {}

  subscribe(listener: SeatListener): void {
    this.listeners.add(listener);
    if (!this.subscriber) this.subscriber = this.connect();
  }

  unsubscribe(listener: SeatListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0 && this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = undefined;
    }
  }

  get listening(): number {
    return this.listeners.size;
  }

  private connect(): Redis {
    const pattern = `${this.channelPrefix}seats:`;
    const subscriber = this.redis.duplicate();
    subscriber.on("error", () => undefined); // reconnects on its own; listeners only lose news meanwhile
    subscriber.on("pmessage", (_pattern: string, channel: string, message: string) => {
      const change = parseChange(message);
      if (!change) return;
      const eventId = channel.slice(pattern.length);
      for (const listener of this.listeners) listener(eventId, change);
    });
    void subscriber.psubscribe(`${pattern}*`).catch(() => undefined);
    return subscriber;
  }
}

const ids = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((id) => typeof id === "string") ? v : undefined;

/** The change in a channel message, or undefined when it is not one of ours. */
function parseChange(message: string): SeatChange | undefined {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(message) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof m !== "object" || m === null) return undefined;
  const held = ids(m.held);
  const sold = ids(m.sold);
  const released = ids(m.released);
  return {
    ...(held ? { held } : {}),
    ...(sold ? { sold } : {}),
    ...(released ? { released } : {}),
    ...(typeof m.by === "string" ? { by: m.by } : {}),
  };
}
