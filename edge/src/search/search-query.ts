// The REST search query string → the Search service's request, checked by the same protovalidate
// rules as the Connect RPC (category list, NUL characters), so both answer alike.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { SearchEventsRequestSchema, SearchSort } from "#gen/ticketing/search/v1/search_pb.js";
import { validateMessage } from "#platform";
import { dateParam } from "../http/date-param.ts";
import { badRequest } from "../http/errors.ts";
import { intParam, onlyParams, stringParam } from "../http/params.ts";

export type Query = Record<string, unknown>;

const sorts: Record<string, SearchSort> = {
  "": SearchSort.UNSPECIFIED,
  relevance: SearchSort.RELEVANCE,
  date: SearchSort.DATE,
};

const searchParams = [
  "keyword",
  "city",
  "category",
  "sort",
  "start",
  "end",
  "page",
  "pageSize",
  "includeCancelled",
] as const;

const flags: Record<string, boolean> = { "": false, false: false, true: true };

/** Parses and checks the query string; every problem is a 400 naming the parameter. */
export function parseSearchQuery(query: Query) {
  onlyParams(query, searchParams);
  const keyword = stringParam(query.keyword, "keyword", 200);
  const city = stringParam(query.city, "city", 100);
  const category = stringParam(query.category, "category", 32);
  const sortName = stringParam(query.sort, "sort", 16).toLowerCase();
  const sort = sorts[sortName];
  if (sort === undefined) throw badRequest("sort must be relevance or date");
  // UTC days: `start=2027-01-05&end=2027-01-05` is that whole day.
  const start = dateParam(query.start, "start");
  const end = dateParam(query.end, "end", { endOfDay: true });
  if (start && end && start > end) throw badRequest("start must not be after end");
  const pageSize = intParam(query.pageSize, "pageSize", 20, 1, 100);
  const page = intParam(query.page, "page", 1, 1, 10_000);
  const includeCancelled = flags[stringParam(query.includeCancelled, "includeCancelled", 5)];
  if (includeCancelled === undefined) throw badRequest("includeCancelled must be true or false");
  const req = create(SearchEventsRequestSchema, {
    keyword,
    city,
    category,
    sort,
    page,
    pageSize,
    includeCancelled,
    ...(start ? { start: timestampFromDate(start) } : {}),
    ...(end ? { end: timestampFromDate(end) } : {}),
  });
  validateMessage(SearchEventsRequestSchema, req);
  return req;
}
