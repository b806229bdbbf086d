// GET /events/search?keyword=&start=&end=&pageSize=&page=&city=&category=&sort= — the seed API's
// search. A static path segment, so Fastify's router prefers it over /events/:eventId.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SearchEventsRequest } from "#gen/ticketing/search/v1/search_pb.js";
import { sendCached } from "../cache/cached-body.ts";
import type { EdgeDeps } from "../deps.ts";
import { keyOf, type SearchAnswer, searchCacheControl } from "./search-loader.ts";
import { parseSearchQuery, type Query } from "./search-query.ts";

/** Distinct valid URLs whose cache key is remembered (the map is cleared when full). */
const maxKnownUrls = 10_000;

export function registerSearchRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  const loader = deps.searches;
  const send = (request: FastifyRequest, reply: FastifyReply, answer: SearchAnswer) =>
    sendCached(request, reply, answer.body, searchCacheControl);
  // A repeated URL skips validation and key building (a protobuf message, its encoding and
  // base64): a micro-cache hit is then two map lookups and a buffer write.
  const keyByUrl = new Map<string, string>();

  app.get<{ Querystring: Query }>("/events/search", (request, reply) => {
    let key = keyByUrl.get(request.url);
    let req: SearchEventsRequest | undefined;
    if (key === undefined) {
      req = parseSearchQuery(request.query);
      key = keyOf(req);
      if (keyByUrl.size >= maxKnownUrls) keyByUrl.clear();
      keyByUrl.set(request.url, key);
    }
    const hot = loader.peek(key);
    if (hot) return send(request, reply, hot);
    return loader
      .search(req ?? parseSearchQuery(request.query), key)
      .then((answer) => send(request, reply, answer));
  });
}
