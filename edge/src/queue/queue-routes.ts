// REST and SSE of the waiting room: join, status, leave and a stream of the caller's place.
// Signed in on all of them. Statuses come from the edge's per-event counters (QueuePlaces), so a
// waiter's refresh costs the queue service nothing while their number has not come up.
import type { FastifyInstance } from "fastify";
import { asCaller } from "#platform";
import type { EdgeDeps } from "../deps.ts";
import { requireRestCaller } from "../http/auth.ts";
import { httpError } from "../http/errors.ts";
import { onlyParams, uuidParam } from "../http/params.ts";
import { openSse } from "../http/sse.ts";
import { placeStream } from "./place-stream.ts";
import { placeJson } from "./queue-json.ts";

type EventParams = { eventId?: string };

export function registerQueueRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  const { places } = deps;

  /** POST /events/{eventId}/queue → 200 {state, position, ahead, estimatedWaitSeconds, admissionToken?, shoppingEndsAt?}. */
  app.post<{ Params: EventParams }>("/events/:eventId/queue", async (request, reply) => {
    const caller = requireRestCaller(request);
    const eventId = uuidParam(request.params.eventId, "eventId");
    const place = await places.join(eventId, caller);
    return reply.header("cache-control", "no-store").send(placeJson(place));
  });

  /** GET /events/{eventId}/queue → the caller's place (404 if they never joined). */
  app.get<{ Params: EventParams; Querystring: Record<string, unknown> }>(
    "/events/:eventId/queue",
    async (request, reply) => {
      const caller = requireRestCaller(request);
      const eventId = uuidParam(request.params.eventId, "eventId");
      onlyParams(request.query, []);
      const place = await places.status(eventId, caller);
      return reply.header("cache-control", "private, no-store").send(placeJson(place));
    },
  );

  /** DELETE /events/{eventId}/queue → 204: the caller is done shopping; their slot goes to the next waiter. */
  app.delete<{ Params: EventParams }>("/events/:eventId/queue", async (request, reply) => {
    const caller = requireRestCaller(request);
    const eventId = uuidParam(request.params.eventId, "eventId");
    await deps.queue.finishShopping({ eventId }, asCaller(caller));
    return reply.code(204).header("cache-control", "no-store").send();
  });

  /**
   * GET /events/{eventId}/queue/stream: Server-Sent Events, one `data:` JSON place per change
   * (position moves at most once a second), ending after admitted / sold_out / closed /
   * not_required. Errors before the stream starts are the usual JSON {code, message}.
   */
  app.get<{ Params: EventParams; Querystring: Record<string, unknown> }>(
    "/events/:eventId/queue/stream",
    async (request, reply) => {
      const caller = requireRestCaller(request);
      const eventId = uuidParam(request.params.eventId, "eventId");
      onlyParams(request.query, []);
      const first = await places.status(eventId, caller);
      const abort = new AbortController();
      request.raw.once("close", () => abort.abort());
      const res = openSse(reply);
      const ping = setInterval(() => res.write(": ping\n\n"), deps.config.EDGE_STREAM_HEARTBEAT_MS);
      let id = 0;
      try {
        for await (const place of placeStream(deps, eventId, caller, abort.signal, first)) {
          res.write(`id: ${++id}\ndata: ${JSON.stringify(placeJson(place))}\n\n`);
        }
      } catch (err) {
        const { body } = httpError(err);
        res.write(`event: error\ndata: ${JSON.stringify(body)}\n\n`);
      } finally {
        clearInterval(ping);
        res.end();
      }
    },
  );
}
