// A SearchEventsRequest reduced to what decides its answer: defaults applied, text normalized.
// Two requests that normalize alike share one cache entry.
import { createHash } from "node:crypto";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { type SearchEventsRequest, SearchSort } from "#gen/ticketing/search/v1/search_pb.js";
import { type KeywordQuery, parseKeyword } from "./query-terms.ts";

export interface NormalizedQuery {
  keyword: KeywordQuery;
  start?: Date | undefined;
  end?: Date | undefined;
  cityKey: string;
  category: string;
  sort: "relevance" | "date";
  page: number;
  pageSize: number;
}

export const defaultPageSize = 20;

const normalizeText = (text: string) => text.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Applies defaults and rejects what the protovalidate rules reject, so the service class holds
 * the same line when it is called directly rather than through the validating server.
 */
export function normalizeRequest(req: SearchEventsRequest): NormalizedQuery {
  if (req.keyword.length > 200) throw invalid("keyword must be at most 200 characters");
  if (req.city.length > 100) throw invalid("city must be at most 100 characters");
  if (req.category.length > 32) throw invalid("category must be at most 32 characters");
  if (req.pageSize < 0 || req.pageSize > 100) throw invalid("page_size must be from 1 to 100");
  if (req.page < 0 || req.page > 10_000) throw invalid("page must be from 1 to 10000");
  const start = req.start ? timestampDate(req.start) : undefined;
  const end = req.end ? timestampDate(req.end) : undefined;
  if (start && end && start > end) throw invalid("start must not be after end");
  const keyword = parseKeyword(req.keyword);
  const hasWords = keyword.words.length > 0;
  const sort = !hasWords || req.sort === SearchSort.DATE ? "date" : "relevance";
  return {
    keyword,
    start,
    end,
    cityKey: normalizeText(req.city),
    category: normalizeText(req.category),
    sort,
    page: req.page || 1,
    pageSize: req.pageSize || defaultPageSize,
  };
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
    q.sort,
    q.page,
    q.pageSize,
  ];
  return createHash("sha1").update(JSON.stringify(parts)).digest("base64url");
}

const invalid = (message: string) => new ConnectError(message, Code.InvalidArgument);
