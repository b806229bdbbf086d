// The benchmark's fixed query mix: common and rare words, several words, typos, as-you-type
// prefixes, date ranges, filters and deep pages, as REST query strings. Words come from the
// synthetic catalog (scripts/seed/synthetic-words.ts).
import { parseSearchQuery } from "../edge/src/search/search-query.ts";
import { createSearchPool } from "../services/search/src/db-pool.ts";
import { Lexicon } from "../services/search/src/lexicon.ts";
import { searchStatement } from "../services/search/src/search-index.ts";
import { normalizeRequest } from "../services/search/src/search-request.ts";
import { searchSql } from "../services/search/src/search-sql.ts";

export type QueryKind =
  | "common"
  | "rare"
  | "multi-word"
  | "typo"
  | "prefix"
  | "date-range"
  | "filter"
  | "deep-page";

export interface BenchQuery {
  kind: QueryKind;
  params: Record<string, string>;
}

const q = (kind: QueryKind, params: Record<string, string>): BenchQuery => ({ kind, params });

export const benchQueries: BenchQuery[] = [
  q("common", { keyword: "tour" }),
  q("common", { keyword: "live" }),
  q("common", { keyword: "london" }),
  q("common", { keyword: "kings" }),
  q("common", { keyword: "the" }),
  q("common", { keyword: "arena" }),
  q("rare", { keyword: "achterberg" }),
  q("rare", { keyword: "hadestown" }),
  q("rare", { keyword: "giselle" }),
  q("rare", { keyword: "swiftwater" }),
  q("multi-word", { keyword: "taylor swift" }),
  q("multi-word", { keyword: "midnight wolves reunion tour" }),
  q("multi-word", { keyword: "olivia carter world tour" }),
  q("multi-word", { keyword: "london bears vs paris kings" }),
  q("multi-word", { keyword: "the lion king" }),
  q("typo", { keyword: "tayler swift" }),
  q("typo", { keyword: "taylr swft" }),
  q("typo", { keyword: "hamliton" }),
  q("typo", { keyword: "neon wovles" }),
  q("typo", { keyword: "olvia cartr" }),
  q("typo", { keyword: "barcelonna" }),
  q("prefix", { keyword: "tay" }),
  q("prefix", { keyword: "electric sk" }),
  q("prefix", { keyword: "hadest" }),
  q("prefix", { keyword: "olivia car" }),
  q("date-range", { start: "2027-06-01", end: "2027-06-30" }),
  q("date-range", { keyword: "tour", start: "2027-06-01", end: "2027-06-07" }),
  q("date-range", { keyword: "taylor swift", start: "2027-03-01", end: "2027-04-30", sort: "date" }),
  q("filter", { city: "Berlin" }),
  q("filter", { category: "family" }),
  q("filter", { keyword: "kings", city: "Paris" }),
  q("filter", { keyword: "comedy", category: "comedy", city: "Tokyo" }),
  q("filter", { keyword: "rockets", category: "concert", start: "2027-06-01", end: "2027-07-01" }),
  q("deep-page", { keyword: "tour", sort: "date", page: "40" }),
  q("deep-page", { page: "50" }),
  q("deep-page", { keyword: "london", page: "20", pageSize: "50" }),
];

export const queryString = (p: Record<string, string>) => new URLSearchParams(p).toString();

/**
 * The statement the service would send for each of `benchQueries` (same order), with typo
 * expansion resolved once against the index at `databaseUrl`.
 */
export async function benchStatements(
  databaseUrl: string,
  maxResults = 1000,
): Promise<{ text: string; values: unknown[] }[]> {
  const pool = createSearchPool(databaseUrl, 1);
  try {
    const lexicon = new Lexicon(pool);
    const out = [];
    for (const bq of benchQueries) {
      const q = normalizeRequest(parseSearchQuery(bq.params));
      out.push(searchSql(await searchStatement(lexicon, q, maxResults)));
    }
    return out;
  } finally {
    await pool.end();
  }
}
