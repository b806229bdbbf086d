// On a 100,000-event index, every query shape must be answered through its index, never by
// reading the whole table. The plans are those of the real statements, with the service's session
// settings (the pool's).
import { expect } from "chai";
import { fillSyntheticIndex } from "../../../scripts/seed/synthetic-index.ts";
import { addTermsFrom, createShadow, indexShadow, shadowTable, swapInShadow } from "../src/index-tables.ts";
import { Lexicon } from "../src/lexicon.ts";
import { parseKeyword, toTsQueries } from "../src/query-terms.ts";
import { type SearchStatement, searchSql } from "../src/search-sql.ts";
import { createSearchTestDb, type SearchTestDb } from "./fixtures.ts";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Total Cost": number;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * Sequential scans of the index table that may read all of it. One directly under a Limit that the
 * planner expects to stop within 5 % of the scan's cost reads a few pages, not the table: that is
 * how a capped count over a filter nearly every row passes (status <> 'CANCELLED') is cheapest.
 */
function fullScans(node: PlanNode): PlanNode[] {
  return (node.Plans ?? []).flatMap((child) => {
    const isScan = child["Node Type"] === "Seq Scan" && child["Relation Name"] === "event_doc";
    const stopsEarly = node["Node Type"] === "Limit" && node["Total Cost"] < 0.05 * child["Total Cost"];
    return [...(isScan && !stopsEarly ? [child] : []), ...fullScans(child)];
  });
}

describe("search: query plans on a 100,000-event index", function () {
  this.timeout(180_000);
  let t: SearchTestDb;
  let lexicon: Lexicon;

  before(async () => {
    t = await createSearchTestDb("search_explain");
    const client = await t.pool.connect();
    try {
      // Loading is not what is under test: on a busy machine a 50,000-row batch outlasts the
      // pool's 10 s query timeout.
      await client.query("set statement_timeout = 0");
      await createShadow(client);
      await fillSyntheticIndex(client, { table: shadowTable, count: 100_000 });
      await indexShadow(client);
      await addTermsFrom(client, shadowTable);
      await client.query("begin");
      await swapInShadow(client);
      await client.query("commit");
      await client.query("vacuum analyze search.event_doc");
      await client.query("analyze search.term");
      await client.query("reset statement_timeout");
    } finally {
      client.release();
    }
    lexicon = new Lexicon(t.pool);
  });
  after(async () => {
    await t?.drop();
  });

  async function rootPlan(text: string, values: unknown[]): Promise<PlanNode> {
    const { rows } = await t.pool.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      `explain (format json) ${text}`,
      values,
    );
    return (rows[0] as { "QUERY PLAN": [{ Plan: PlanNode }] })["QUERY PLAN"][0].Plan;
  }
  const planOf = async (text: string, values: unknown[]) => nodesOf(await rootPlan(text, values));

  async function statement(keyword: string, rest: Partial<SearchStatement> = {}): Promise<SearchStatement> {
    const k = parseKeyword(keyword);
    const tsquery = k.words.length > 0 ? toTsQueries(await lexicon.expand(k.words, k.lastIsPrefix)) : null;
    return {
      tsquery,
      exactName: k.normalized,
      filters: {},
      sort: tsquery ? "relevance" : "date",
      offset: 0,
      limit: 20,
      maxResults: 1000,
      ...rest,
    };
  }

  const shapes: [string, () => Promise<SearchStatement>, string][] = [
    ["rare name", () => statement("taylor swift "), "event_doc_search_vector_idx"],
    ["typo", () => statement("tayler swfit "), "event_doc_search_vector_idx"],
    ["prefix while typing", () => statement("neon wol"), "event_doc_search_vector_idx"],
    ["multi-word", () => statement("midnight wolves reunion "), "event_doc_search_vector_idx"],
    [
      "keyword + city",
      async () => ({ ...(await statement("olivia ")), filters: { cityKey: "berlin" } }),
      "event_doc_search_vector_idx",
    ],
    [
      "keyword by date",
      async () => ({ ...(await statement("hamilton ")), sort: "date" }),
      "event_doc_search_vector_idx",
    ],
    ["list by date", () => statement(""), "event_doc_starts_at_id_idx"],
    [
      "list by date, deep page",
      async () => ({ ...(await statement("")), offset: 900 }),
      "event_doc_starts_at_id_idx",
    ],
    [
      "list by date range",
      async () => ({
        ...(await statement("")),
        filters: { start: new Date("2027-06-01"), end: new Date("2027-06-30") },
      }),
      "event_doc_starts_at_id_idx",
    ],
    [
      "city listing",
      async () => ({ ...(await statement("")), filters: { cityKey: "paris" } }),
      "event_doc_city_starts_at_idx",
    ],
    [
      "category listing",
      async () => ({ ...(await statement("")), filters: { category: "family" } }),
      "event_doc_category_starts_at_idx",
    ],
  ];

  for (const [label, make, indexName] of shapes) {
    it(`${label} uses ${indexName} and no sequential scan`, async () => {
      const { text, values } = searchSql(await make());
      const root = await rootPlan(text, values);
      const nodes = nodesOf(root);
      const indexes = nodes.map((n) => n["Index Name"]).filter(Boolean);
      expect(indexes, JSON.stringify(nodes.map((n) => n["Node Type"]))).to.include(indexName);
      expect(fullScans(root), label).to.have.length(0);
    });
  }

  it("typo lookups use the trigram index of the lexicon", async () => {
    // The synthetic catalog has only a few hundred distinct words, which PostgreSQL rightly scans;
    // a real catalog's lexicon runs to tens of thousands, so give it that many.
    await t.pool.query(
      `insert into search.term (word) select substr(md5(g::text), 1, 4 + g % 8) from generate_series(1, 50000) g
       on conflict do nothing`,
    );
    await t.pool.query("analyze search.term");
    const nodes = await planOf(
      `select word from search.term where word operator(public.%) $1 order by public.similarity(word, $1) desc limit 3`,
      ["swfit"],
    );
    expect(nodes.map((n) => n["Index Name"])).to.include("term_word_trgm_idx");
  });

  it("never uses a leading-wildcard LIKE", async () => {
    const { text } = searchSql(await statement("tay"));
    expect(text).to.not.match(/like\s+'%/i);
  });
});
