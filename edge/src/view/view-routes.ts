// REST view routes of the seed API. The hot path — a fresh micro-cached page — is synchronous:
// a map lookup, an ETag comparison and a write of pre-serialized bytes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { publicCacheControl, sendCached } from "../cache/cached-body.ts";
import type { EdgeDeps } from "../deps.ts";
import { intParam, onlyParams, pagingParams, uuidParam } from "../http/params.ts";
import type { Cached } from "./view-loader.ts";

type Params = { eventId?: string };
type Query = { section?: unknown; page?: unknown; pageSize?: unknown };

const sectionParams = ["section"] as const;

export function registerViewRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  const loader = deps.views;
  const cacheControl = publicCacheControl(loader.maxAgeMs);
  const send = (request: FastifyRequest, reply: FastifyReply, entry: Cached<unknown>) =>
    sendCached(request, reply, entry.body, entry.degraded ? "no-cache" : cacheControl);

  /** GET /events/{eventId}: event, venue, performers, availability and (small venues) tickets. */
  app.get<{ Params: Params }>("/events/:eventId", (request, reply) => {
    const eventId = uuidParam(request.params.eventId, "eventId");
    const hot = loader.pages.peek(eventId);
    if (hot) return send(request, reply, hot);
    return loader.page(eventId).then((entry) => send(request, reply, entry));
  });

  /** GET /events/{eventId}/tickets?section={sectionId}: one section's tickets with live status. */
  app.get<{ Params: Params; Querystring: Query }>("/events/:eventId/tickets", (request, reply) => {
    const eventId = uuidParam(request.params.eventId, "eventId");
    onlyParams(request.query, sectionParams);
    const sectionId = uuidParam(request.query.section, "section");
    const key = `${eventId}/${sectionId}`;
    const hot = loader.sectionTickets.peek(key);
    if (hot) return send(request, reply, hot);
    return loader.tickets(eventId, sectionId).then((entry) => send(request, reply, entry));
  });

  /** GET /events?page=&pageSize=: upcoming events by date. */
  app.get<{ Querystring: Query }>("/events", (request, reply) => {
    onlyParams(request.query, pagingParams);
    const page = intParam(request.query.page, "page", 1, 1, 10_000);
    const pageSize = intParam(request.query.pageSize, "pageSize", 20, 1, 100);
    return loader.list(page, pageSize).then((entry) => send(request, reply, entry));
  });
}
