// The one parameterized statement behind every search. Shapes:
// - keyword, relevance: a window of at most `maxResults` matches found through the GIN index (the
//   first ones in physical order, which after a rebuild is start-time order), ranked by exact name,
//   then ts_rank, then start time and id. Within the window the ranking is exact; a broader query is
//   ranked among its soonest matches instead of ranking hundreds of thousands of rows per request.
// - date order, with or without keyword: exact (starts_at, id) order through a btree or the GIN
//   index, whichever the planner finds cheaper.
// Totals are exact up to `maxResults` and capped there ("1,000+"), like Elasticsearch's
// track_total_hits: counting a 400,000-row match exactly would cost more than the page itself. One
// row past the window is counted, so a total of exactly `maxResults` is told apart from more.
import { cityKeySql } from "./document-sql.ts";
import type { TsQueries } from "./query-terms.ts";

export interface SearchFilters {
  start?: Date | undefined;
  end?: Date | undefined;
  /** The city as typed; compared after the same folding (case, accents) as the index's city_key. */
  cityKey?: string | undefined;
  category?: string | undefined;
  /** Cancelled events are left out unless this is set. */
  includeCancelled?: boolean | undefined;
}

export interface SearchStatement {
  /** to_tsquery('simple') texts (see query-terms.ts), or null to list by date. */
  tsquery: TsQueries | null;
  /** The keyword's words joined by spaces, compared with name_key for the exact-name boost. */
  exactName: string;
  filters: SearchFilters;
  sort: "relevance" | "date";
  offset: number;
  limit: number;
  maxResults: number;
}

export interface HitRow {
  total: string;
  id: string;
  name: string;
  category: string;
  starts_at: Date;
  venue_name: string;
  city: string;
  timezone: string;
  performer_names: string[];
  status: string;
}

const columns =
  "d.id, d.name, d.category, d.starts_at, d.venue_name, d.city, d.timezone, d.performer_names, d.status";

/**
 * The page, each row carrying the total (an InitPlan: counted once). An empty page past the first
 * carries no total; countSql answers that case.
 */
export function searchSql(s: SearchStatement): { text: string; values: unknown[] } {
  const { values, param, conditions, query } = compile(s);
  const cap = param(s.maxResults + 1);
  // Never page past the counted window: the total promises no more than that.
  const limit = Math.max(0, Math.min(s.limit, s.maxResults - s.offset));
  const offset = param(s.offset);
  const pageSize = param(limit);
  if (s.sort === "relevance" && query !== null) {
    // A hit on whole words, and on the words exactly as typed, outranks any ts_rank difference.
    const words = `to_tsquery('simple', ${param(s.tsquery?.words)})`;
    const exact = `to_tsquery('simple', ${param(s.tsquery?.exact)})`;
    const rank = `ts_rank(d.search_vector, ${query}) + (d.search_vector @@ ${words})::int
      + (d.search_vector @@ ${exact})::int`;
    const text = `with w as materialized (
        select ${columns}, d.name_key, ${rank} as rank
        from search.event_doc d ${conditions} limit ${cap})
      select w.*, (select count(*) from w) as total from w
      order by (w.name_key = ${param(s.exactName)}) desc, w.rank desc, w.starts_at, w.id
      offset ${offset} limit ${pageSize}`;
    return { text, values };
  }
  const text = `select ${columns},
      (select count(*) from (select 1 from search.event_doc d ${conditions} limit ${cap}) c) as total
    from search.event_doc d ${conditions}
    order by d.starts_at, d.id offset ${offset} limit ${pageSize}`;
  return { text, values };
}

/** The bounded total alone. */
export function countSql(s: SearchStatement): { text: string; values: unknown[] } {
  const { values, param, conditions } = compile(s);
  const text = `select count(*) as total from
    (select 1 from search.event_doc d ${conditions} limit ${param(s.maxResults + 1)}) c`;
  return { text, values };
}

function compile(s: SearchStatement) {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [];
  let query: string | null = null;
  if (s.tsquery !== null) {
    query = `to_tsquery('simple', ${param(s.tsquery.match)})`;
    where.push(`d.search_vector @@ ${query}`);
  }
  if (s.filters.start) where.push(`d.starts_at >= ${param(s.filters.start)}`);
  if (s.filters.end) where.push(`d.starts_at <= ${param(s.filters.end)}`);
  if (s.filters.cityKey) where.push(`d.city_key = ${cityKeySql(param(s.filters.cityKey))}`);
  if (s.filters.category) where.push(`d.category = ${param(s.filters.category)}`);
  if (!s.filters.includeCancelled) where.push(`d.status <> 'CANCELLED'`);
  const conditions = where.length > 0 ? `where ${where.join(" and ")}` : "";
  return { values, param, conditions, query };
}
