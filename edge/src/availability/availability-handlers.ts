import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { TicketingService, WatchAvailabilityResponse } from "#gen/ticketing/api/v1/api_pb.js";
import type { EdgeDeps } from "../deps.ts";
import type { Watcher } from "./event-feed.ts";
import type { Update } from "./feed-updates.ts";

type AvailabilityRpcs = Pick<ServiceImpl<typeof TicketingService>, "watchAvailability">;

/** Messages a stream has not sent yet; more than this many means the client stopped reading. */
const maxQueued = 1000;

/** One Connect stream: the feed pushes, the handler's generator pulls. */
class QueueWatcher implements Watcher {
  private readonly queue: WatchAvailabilityResponse[] = [];
  private wake: (() => void) | undefined;
  private ended: ConnectError | null | undefined;

  constructor(readonly sectionId: string) {}

  send(update: Update): void {
    if (this.ended !== undefined) return;
    if (this.queue.length >= maxQueued) {
      this.end(
        new ConnectError(
          "the stream fell too far behind; resume with after_sequence",
          Code.ResourceExhausted,
        ),
      );
      return;
    }
    this.queue.push(update.message(this.sectionId));
    this.wake?.();
  }

  close(): void {
    this.end(new ConnectError("the edge is shutting down; resume with after_sequence", Code.Unavailable));
  }

  end(reason: ConnectError | null): void {
    this.ended ??= reason;
    this.wake?.();
  }

  async *messages(): AsyncGenerator<WatchAvailabilityResponse> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended !== undefined) {
        if (this.ended) throw this.ended;
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

/** WatchAvailability: the same feed as the SSE route, as a server stream. */
export function availabilityHandlers(deps: EdgeDeps): AvailabilityRpcs {
  return {
    async *watchAvailability(req, ctx) {
      const eventId = req.eventId.toLowerCase();
      const sectionId = req.sectionId.toLowerCase();
      const watcher = new QueueWatcher(sectionId);
      const stop = await deps.availability.watch(
        eventId,
        sectionId,
        req.afterSequence > 0n ? req.afterSequence : undefined,
        () => watcher,
      );
      const onAbort = () => watcher.end(null);
      ctx.signal.addEventListener("abort", onAbort);
      try {
        yield* watcher.messages();
      } finally {
        ctx.signal.removeEventListener("abort", onAbort);
        stop();
      }
    },
  };
}
