// SearchService: normalizes the request, answers from the result cache when it can, else from
// the index, then adds the lowest available prices (or that the event is sold out). The result cache has two levels under the same
// index version: decoded pages in this process (a hit costs one Redis GET of the version, no
// protobuf decode), then the encoded pages in Redis, shared by every replica.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { EventStatus } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import {
  type SearchEventsRequest,
  type SearchEventsResponse,
  SearchEventsResponseSchema,
  type SearchService as SearchServiceDesc,
} from "#gen/ticketing/search/v1/search_pb.js";
import type { Logger } from "#platform";
import type { PriceLookup } from "./price-lookup.ts";
import type { ResultCache } from "./result-cache.ts";
import type { SearchIndex } from "./search-index.ts";
import { cacheKeyOf, normalizeRequest } from "./search-request.ts";
import { VersionScopedCache } from "./version-scoped-cache.ts";

export interface SearchServiceDeps {
  index: SearchIndex;
  /** Absent: every search goes to the index. */
  cache?: ResultCache | undefined;
  prices: PriceLookup;
  logger: Logger;
}

export class SearchService implements ServiceImpl<typeof SearchServiceDesc> {
  /** Decoded pages, kept no longer than Redis keeps them (the version guarantees freshness). */
  private readonly local: VersionScopedCache<SearchEventsResponse>;

  constructor(private readonly deps: SearchServiceDeps) {
    this.local = new VersionScopedCache((deps.cache?.ttlSeconds ?? 0) * 1000, 2_000);
  }

  async searchEvents(req: SearchEventsRequest): Promise<SearchEventsResponse> {
    const query = normalizeRequest(req);
    const page = await this.cachedPage(query);
    if (page.events.length === 0) return page;
    const supply = await this.deps.prices.supply(page.events.map((e) => e.id));
    if (supply.size === 0) return page;
    // Cached pages are shared: prices and sold-out marks go on copies.
    return {
      ...page,
      events: page.events.map((event) => {
        const known = supply.get(event.id);
        if (known === undefined) return event;
        return "soldOut" in known
          ? { ...event, soldOut: true }
          : { ...event, minPriceCents: known.minPriceCents };
      }),
    };
  }

  /** The page without prices or sold-out marks: cached bytes when the index has not changed since, else a query. */
  private async cachedPage(query: ReturnType<typeof normalizeRequest>): Promise<SearchEventsResponse> {
    // The version is read even with result caching off: word expansions are reused under it.
    const version = this.deps.cache ? await this.deps.cache.version() : null;
    const cache = this.deps.cache?.enabled ? this.deps.cache : undefined;
    const key = cacheKeyOf(query);
    if (cache && version !== null) {
      const hit = this.local.get(version, key);
      if (hit) return hit;
      const bytes = await cache.get(version, key);
      if (bytes) return this.remember(version, key, fromBinary(SearchEventsResponseSchema, bytes));
    }
    const { hits, total, totalCapped } = await this.deps.index.search(query, version);
    const page = create(SearchEventsResponseSchema, {
      page: query.page,
      pageSize: query.pageSize,
      total: BigInt(total),
      totalCapped,
      events: hits.map((h) => ({
        id: h.id,
        name: h.name,
        category: h.category,
        startsAt: timestampFromDate(h.startsAt),
        venueName: h.venueName,
        city: h.city,
        timezone: h.timezone,
        performerNames: h.performerNames,
        status: eventStatusOf(h.status),
      })),
    });
    // Cached under the version read *before* the query: a change applied meanwhile bumps the
    // version, so this entry can be older than that change but is never served after it.
    if (cache && version !== null) {
      await cache.set(version, key, toBinary(SearchEventsResponseSchema, page));
      this.remember(version, key, page);
    }
    return page;
  }

  private remember(version: string, key: string, page: SearchEventsResponse): SearchEventsResponse {
    this.local.set(version, key, page);
    return page;
  }
}

/** The index stores the status as the enum's name without its prefix ("ON_SALE"). */
function eventStatusOf(text: string): EventStatus {
  return EventStatus[text as keyof typeof EventStatus] ?? EventStatus.UNSPECIFIED;
}
