// Search at the edge: one micro-cache (with request coalescing) shared by the REST route and the
// Connect RPC, holding the Search service's answer and its REST JSON serialized once.
import { create, toBinary } from "@bufbuild/protobuf";
import {
  type SearchEventsRequest,
  SearchEventsRequestSchema,
  type SearchEventsResponse,
} from "#gen/ticketing/search/v1/search_pb.js";
import { type CachedBody, jsonBody } from "../cache/cached-body.ts";
import { MicroCache } from "../cache/micro-cache.ts";
import type { EdgeClients } from "../deps.ts";
import { searchJson } from "./search-json.ts";

export interface SearchAnswer {
  message: SearchEventsResponse;
  body: CachedBody;
}

/** CDN and browser reuse: short, so a catalog change is visible within the 2 s the index promises. */
export const searchCacheControl = "public, max-age=1, s-maxage=1";

export class SearchLoader {
  private readonly cache: MicroCache<SearchAnswer>;

  constructor(private readonly deps: Pick<EdgeClients, "config" | "search">) {
    this.cache = new MicroCache({
      ttlMs: deps.config.EDGE_MICROCACHE_MS,
      maxEntries: deps.config.EDGE_MICROCACHE_MAX_ENTRIES,
    });
  }

  /** A fresh cached answer, synchronously, for the hot path. */
  peek(key: string): SearchAnswer | undefined {
    return this.cache.peek(key);
  }

  search(req: SearchEventsRequest, key = keyOf(req)): Promise<SearchAnswer> {
    return this.cache.get(key, async () => {
      const message = await this.deps.search.searchEvents(req, { timeoutMs: 5_000 });
      return { message, body: jsonBody(searchJson(message)) };
    });
  }
}

/** Requests that would get the same answer share a key (the Search service normalizes further). */
export function keyOf(req: SearchEventsRequest): string {
  const normalized = create(SearchEventsRequestSchema, {
    ...req,
    // Case and runs of spaces never change the answer; a trailing space does (prefix matching).
    keyword: req.keyword.toLowerCase().replace(/\s+/g, " "),
    city: req.city.trim().toLowerCase(),
    category: req.category.trim().toLowerCase(),
  });
  return Buffer.from(toBinary(SearchEventsRequestSchema, normalized)).toString("base64");
}
