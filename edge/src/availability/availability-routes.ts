// GET /events/{eventId}/availability/stream[?section=<id>]: the live seat map as Server-Sent
// Events. Bad input is answered as JSON like every REST error, before the stream starts.
import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import type { EdgeDeps } from "../deps.ts";
import { badRequest } from "../http/errors.ts";
import { onlyParams, optionalUuidParam, uuidParam } from "../http/params.ts";
import { openSse } from "../http/sse.ts";
import type { Watcher } from "./event-feed.ts";
import type { Update } from "./feed-updates.ts";

type Params = { eventId?: string };
type Query = { section?: unknown };

const streamParams = ["section"] as const;

/** Last-Event-ID as the browser sends it back: a sequence number we sent as `id:`. */
export function lastEventId(value: unknown): bigint | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string" || !/^\d{1,19}$/.test(value)) {
    throw badRequest("Last-Event-ID must be a sequence number this stream sent (digits only)");
  }
  return BigInt(value);
}

/** One SSE response. A client that stops reading is cut off (it reconnects and resumes). */
class SseWatcher implements Watcher {
  constructor(
    private readonly res: ServerResponse,
    readonly sectionId: string,
    private readonly maxBufferedBytes: number,
  ) {}

  send(update: Update): void {
    if (this.res.destroyed) return;
    if (this.res.writableLength > this.maxBufferedBytes) {
      this.res.destroy();
      return;
    }
    this.res.write(update.sse(this.sectionId));
  }

  close(): void {
    this.res.end();
  }
}

export function registerAvailabilityRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  app.addHook("preClose", async () => deps.availability.close());

  app.get<{ Params: Params; Querystring: Query }>(
    "/events/:eventId/availability/stream",
    async (request, reply) => {
      const eventId = uuidParam(request.params.eventId, "eventId");
      onlyParams(request.query, streamParams);
      const sectionId = optionalUuidParam(request.query.section, "section") ?? "";
      const after = lastEventId(request.headers["last-event-id"]);
      const res = reply.raw;
      const stop = await deps.availability.watch(eventId, sectionId, after, () => {
        openSse(reply, "retry: 2000\n\n");
        return new SseWatcher(res, sectionId, deps.config.EDGE_STREAM_MAX_BUFFERED_BYTES);
      });
      res.once("close", stop);
      if (res.destroyed) stop();
    },
  );
}
