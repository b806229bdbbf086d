// A SearchEventsRequest reduced to what decides its answer: defaults applied, text normalized.
// Two requests that normalize alike share one cache entry.
import { createHash } from "node:crypto";
import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type SearchEventsRequest,
  SearchEventsRequestSchema,
  SearchSort,
} from "#gen/ticketing/search/v1/search_pb.js";
import { validateMessage } from "#platform";
import { type KeywordQuery, parseKeyword } from "./query-terms.ts";

export interface NormalizedQuery {
  keyword: KeywordQuery;
  start?: Date | undefined;
  end?: Date | undefined;
  cityKey: string;
  category: string;
  includeCancelled: boolean;
  sort: "relevance" | "date";
  page: number;
  pageSize: number;
}

export const defaultPageSize = 20;

const normalizeText = (text: string) => text.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Applies defaults after checking the request against its protovalidate rules (lengths, the
 * category list, no NUL characters), so the service class holds the same line, with the same
 * messages, when it is called directly rather than through the validating server — and a NUL byte
 * never reaches PostgreSQL, which refuses it with an error of its own.
 */
export function normalizeRequest(req: SearchEventsRequest): NormalizedQuery {
  const start = dateOf(req.start, "start");
  const end = dateOf(req.end, "end");
  validateMessage(SearchEventsRequestSchema, req);
  const keyword = parseKeyword(req.keyword);
  const hasWords = keyword.words.length > 0;
  const sort = !hasWords || req.sort === SearchSort.DATE ? "date" : "relevance";
  return {
    keyword,
    start,
    end,
    cityKey: normalizeText(req.city),
    category: req.category,
    includeCancelled: req.includeCancelled,
    sort,
    page: req.page || 1,
    pageSize: req.pageSize || defaultPageSize,
  };
}

// What JSON can carry (RFC 3339); a binary Timestamp can say more, which no Date or column holds.
const minSeconds = -62_135_596_800n;
const maxSeconds = 253_402_300_799n;

/** Checked by hand: protovalidate cannot evaluate a rule on a Timestamp out of this range. */
function dateOf(ts: Timestamp | undefined, name: string): Date | undefined {
  if (!ts) return undefined;
  if (ts.seconds < minSeconds || ts.seconds > maxSeconds || ts.nanos < 0 || ts.nanos > 999_999_999) {
    throw new ConnectError(
      `${name}: must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z`,
      Code.InvalidArgument,
    );
  }
  return timestampDate(ts);
}

/** A short stable key for the result cache. */
export function cacheKeyOf(q: NormalizedQuery): string {
  const parts = [
    q.keyword.words.join(" "),
    q.keyword.lastIsPrefix ? "p" : "w",
    q.start?.toISOString() ?? "",
    q.end?.toISOString() ?? "",
    q.cityKey,
    q.category,
    q.includeCancelled,
    q.sort,
    q.page,
    q.pageSize,
  ];
  return createHash("sha1").update(JSON.stringify(parts)).digest("base64url");
}
