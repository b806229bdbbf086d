// The live index table and its shadow. A rebuild fills `event_doc_build` without indexes (bulk
// load is several times faster that way), indexes it, catches it up with the feed, then swaps it
// in inside one short transaction: readers keep querying the old table until the commit.
import type pg from "pg";
import { termsOfVectorSql } from "./document-sql.ts";

export type Queryable = Pick<pg.ClientBase, "query">;

export const liveTable = "search.event_doc";
export const shadowTable = "search.event_doc_build";

/** Secondary indexes by their canonical name; the shadow gets them with a `_build` suffix. */
const indexes: [string, string][] = [
  ["event_doc_starts_at_id_idx", `("starts_at", "id")`],
  ["event_doc_city_starts_at_idx", `("city_key", "starts_at", "id")`],
  ["event_doc_category_starts_at_idx", `("category", "starts_at", "id")`],
  ["event_doc_search_vector_idx", `using gin ("search_vector")`],
];

/** Drops any leftover shadow and creates an empty one shaped like the live table. */
export async function createShadow(db: Queryable): Promise<void> {
  await db.query(`drop table if exists ${shadowTable}`);
  await db.query(`create table ${shadowTable} (like ${liveTable} including defaults including constraints)`);
}

/**
 * Adds the primary key and every index to the loaded shadow, then refreshes planner statistics.
 * The rows are first put in start-time order (CLUSTER): date-ordered scans then read neighbouring
 * pages, and the first matches in physical order are the soonest ones, which is what a relevance
 * window over a very broad query keeps (see search-sql.ts).
 */
export async function indexShadow(db: Queryable): Promise<void> {
  // Index builds sort in memory when they can; the session default (64 MB) spills to disk.
  await db.query(`set maintenance_work_mem = '512MB'`);
  await db.query(`alter table ${shadowTable} add constraint event_doc_build_pkey primary key (id)`);
  const [[firstName, firstDefinition], ...others] = indexes as [[string, string], ...[string, string][]];
  await db.query(`create index "${firstName}_build" on ${shadowTable} ${firstDefinition}`);
  await db.query(`cluster ${shadowTable} using "${firstName}_build"`);
  for (const [name, definition] of others) {
    await db.query(`create index "${name}_build" on ${shadowTable} ${definition}`);
  }
  await db.query(`analyze ${shadowTable}`);
  await db.query(`reset maintenance_work_mem`);
}

/**
 * Replaces the live table by the shadow. Must run inside the caller's transaction; the drop takes an
 * ACCESS EXCLUSIVE lock, so readers wait for the commit (milliseconds) instead of seeing no table.
 */
export async function swapInShadow(tx: Queryable): Promise<void> {
  await tx.query(`drop table ${liveTable}`);
  await tx.query(`alter table ${shadowTable} rename to event_doc`);
  await tx.query(`alter table ${liveTable} rename constraint event_doc_build_pkey to event_doc_pkey`);
  for (const [name] of indexes) await tx.query(`alter index search."${name}_build" rename to "${name}"`);
}

/** Adds the name, venue and city words of every row of `table` to the typo lexicon. */
export async function addTermsFrom(db: Queryable, table: string): Promise<void> {
  await db.query(
    `insert into search.term (word) ${termsOfVectorSql(`(select search_vector from ${table})`)} on conflict do nothing`,
  );
}
