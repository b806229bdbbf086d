// Runs searches against the index table: expands the keyword through the lexicon, then one
// statement for the page and its total.
import type { Queryable } from "./index-tables.ts";
import type { Lexicon } from "./lexicon.ts";
import { toTsQueries } from "./query-terms.ts";
import type { NormalizedQuery } from "./search-request.ts";
import { countSql, type HitRow, type SearchStatement, searchSql } from "./search-sql.ts";

export interface SearchHit {
  id: string;
  name: string;
  category: string;
  startsAt: Date;
  venueName: string;
  city: string;
  /** The venue's IANA time zone; '' when the row predates it. */
  timezone: string;
  performerNames: string[];
  /** EventStatus without its prefix, e.g. "ON_SALE". */
  status: string;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Exact up to maxResults, then maxResults. */
  total: number;
  /** Whether more than maxResults events match. */
  totalCapped: boolean;
}

export interface SearchIndexOptions {
  /** Matches counted and ranked per query; see search-sql.ts. */
  maxResults?: number;
}

/** The SQL statement for a query: the keyword expanded through the lexicon, filters and paging. */
export async function searchStatement(
  lexicon: Lexicon,
  q: NormalizedQuery,
  maxResults: number,
  indexVersion: string | null = null,
): Promise<SearchStatement> {
  const { words, lastIsPrefix, normalized } = q.keyword;
  const tsquery =
    words.length > 0 ? toTsQueries(await lexicon.expand(words, lastIsPrefix, indexVersion)) : null;
  return {
    tsquery,
    exactName: normalized,
    filters: {
      start: q.start,
      end: q.end,
      cityKey: q.cityKey || undefined,
      category: q.category || undefined,
      includeCancelled: q.includeCancelled,
    },
    sort: q.sort,
    offset: (q.page - 1) * q.pageSize,
    limit: q.pageSize,
    maxResults,
  };
}

export class SearchIndex {
  readonly maxResults: number;

  constructor(
    private readonly db: Queryable,
    private readonly lexicon: Lexicon,
    options: SearchIndexOptions = {},
  ) {
    this.maxResults = options.maxResults ?? 1000;
  }

  /** `indexVersion`: the version read before searching, under which word expansions are reused. */
  async search(q: NormalizedQuery, indexVersion: string | null = null): Promise<SearchPage> {
    const statement = await searchStatement(this.lexicon, q, this.maxResults, indexVersion);
    const { rows } = await this.db.query<HitRow>(searchSql(statement));
    const first = rows[0];
    let counted = first ? Number(first.total) : 0;
    if (!first && statement.offset > 0) {
      const count = await this.db.query<{ total: string }>(countSql(statement));
      counted = Number(count.rows[0]?.total ?? 0);
    }
    return {
      total: Math.min(counted, this.maxResults),
      totalCapped: counted > this.maxResults,
      hits: rows.map((r) => ({
        id: r.id,
        name: r.name,
        category: r.category,
        startsAt: r.starts_at,
        venueName: r.venue_name,
        city: r.city,
        timezone: r.timezone,
        performerNames: r.performer_names,
        status: r.status,
      })),
    };
  }
}
