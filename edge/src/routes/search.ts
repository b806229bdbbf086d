// GET /events/search?keyword=&start=&end=&pageSize=&page=&city=&category=&sort= — the seed API's
// search. A static path segment, so Fastify's router prefers it over /events/:eventId.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type SearchEventsRequest,
  SearchEventsRequestSchema,
  SearchSort,
} from "#gen/ticketing/search/v1/search_pb.js";
import { keyOf, type SearchAnswer, searchCacheControl, searchLoaderFor } from "../api/search-handlers.ts";
import { sendCached } from "../cache/cached-body.ts";
import type { EdgeDeps } from "../deps.ts";
import { badRequest } from "../http/errors.ts";
import { dateParam, intParam, onlyParams, stringParam } from "../http/params.ts";

type Query = Record<string, unknown>;

const sorts: Record<string, SearchSort> = {
  "": SearchSort.UNSPECIFIED,
  relevance: SearchSort.RELEVANCE,
  date: SearchSort.DATE,
};

const searchParams = ["keyword", "city", "category", "sort", "start", "end", "page", "pageSize"] as const;

/** Parses and checks the query string; every problem is a 400 naming the parameter. */
export function parseSearchQuery(query: Query) {
  onlyParams(query, searchParams);
  const keyword = stringParam(query.keyword, "keyword", 200);
  const city = stringParam(query.city, "city", 100);
  const category = stringParam(query.category, "category", 32);
  const sortName = stringParam(query.sort, "sort", 16).toLowerCase();
  const sort = sorts[sortName];
  if (sort === undefined) throw badRequest("sort must be relevance or date");
  const start = dateParam(query.start, "start");
  const end = dateParam(query.end, "end");
  if (start && end && start > end) throw badRequest("start must not be after end");
  const pageSize = intParam(query.pageSize, "pageSize", 20, 1, 100);
  const page = intParam(query.page, "page", 1, 1, 10_000);
  return create(SearchEventsRequestSchema, {
    keyword,
    city,
    category,
    sort,
    page,
    pageSize,
    ...(start ? { start: timestampFromDate(start) } : {}),
    ...(end ? { end: timestampFromDate(end) } : {}),
  });
}

/** Distinct valid URLs whose cache key is remembered (the map is cleared when full). */
const maxKnownUrls = 10_000;

export function registerSearchRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  const loader = searchLoaderFor(deps);
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
