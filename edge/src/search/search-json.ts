// The REST shape of a search answer: the seed API's `{events, page, pageSize, total}`, plus each
// event's status, venue time zone and sold-out mark, and whether the total is capped.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { EventStatus } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { SearchEventsResponse } from "#gen/ticketing/search/v1/search_pb.js";

export function searchJson(res: SearchEventsResponse) {
  return {
    events: res.events.map((e) => ({
      id: e.id,
      name: e.name,
      category: e.category,
      startsAt: e.startsAt ? timestampDate(e.startsAt).toISOString() : null,
      venueName: e.venueName,
      city: e.city,
      performerNames: e.performerNames,
      minPriceCents: e.minPriceCents === undefined ? null : Number(e.minPriceCents),
      /** "ON_SALE", "SCHEDULED", "POSTPONED" or "CANCELLED". */
      status: EventStatus[e.status],
      /** The venue's IANA time zone ("Europe/London"); "" when the index does not know it yet. */
      timezone: e.timezone,
      /** True when the event has tickets and every one is sold. */
      soldOut: e.soldOut,
    })),
    page: res.page,
    pageSize: res.pageSize,
    total: Number(res.total),
    /** True when more events match than `total` counts ("1,000+"). */
    totalCapped: res.totalCapped,
  };
}
