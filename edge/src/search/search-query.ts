// The REST search query string → the Search service's request.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { SearchEventsRequestSchema, SearchSort } from "#gen/ticketing/search/v1/search_pb.js";
import { badRequest } from "../http/errors.ts";
import { dateParam, intParam, onlyParams, stringParam } from "../http/params.ts";

export type Query = Record<string, unknown>;

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
