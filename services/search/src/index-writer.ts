// Writes documents into an index table. Every write is keyed by event id and carries the feed
// sequence it reflects; a row is only overwritten by a newer sequence, so replaying a change, or
// an older one arriving late, changes nothing.
import type pg from "pg";
import { type FeedChange, type IndexDocument, lastSequence } from "./change-feed.ts";
import {
  cityKeySql,
  documentColumns,
  documentVectorSql,
  nameKeySql,
  termsOfVectorSql,
} from "./document-sql.ts";
import { liveTable, type Queryable } from "./index-tables.ts";

const vector = documentVectorSql({
  name: "d.name",
  performers: "array_to_string(d.performers, ' ')",
  venue: "d.venue_name",
  city: "d.city",
  description: "d.description",
});

const recordColumns = `d(id uuid, name text, description text, category text, status text,
  starts_at timestamptz, venue_name text, city text, country text, timezone text, performers text[],
  seq bigint)`;

// Inserting the new rows' name words into the lexicon in the same statement keeps typo lookups in
// step with the documents.
const upsertSql = (table: string, onConflict: boolean) => `with up as (
    insert into ${table} as t (${documentColumns})
    select d.id, d.name, ${nameKeySql("d.name")}, d.category, d.status, d.starts_at, d.venue_name, d.city,
      ${cityKeySql("d.city")}, d.country, d.timezone, d.performers, ${vector}, d.seq
    from jsonb_to_recordset($1::jsonb) as ${recordColumns}
    ${
      onConflict
        ? `on conflict (id) do update set name = excluded.name, name_key = excluded.name_key,
      category = excluded.category, status = excluded.status, starts_at = excluded.starts_at,
      venue_name = excluded.venue_name, city = excluded.city, city_key = excluded.city_key,
      country = excluded.country, timezone = excluded.timezone, performer_names = excluded.performer_names,
      search_vector = excluded.search_vector, feed_sequence = excluded.feed_sequence, updated_at = now()
      where t.feed_sequence < excluded.feed_sequence`
        : ""
    }
    returning search_vector)
  insert into search.term (word) ${termsOfVectorSql("up")} on conflict do nothing`;

const deleteSql = (table: string) => `delete from ${table} t
  using jsonb_to_recordset($1::jsonb) as d(id uuid, seq bigint)
  where t.id = d.id and t.feed_sequence < d.seq`;

const toRecord = (doc: IndexDocument, seq: bigint) => ({
  id: doc.id,
  name: doc.name,
  description: doc.description,
  category: doc.category,
  status: doc.status,
  starts_at: doc.startsAt.toISOString(),
  venue_name: doc.venueName,
  city: doc.city,
  country: doc.country,
  timezone: doc.timezone,
  performers: doc.performerNames,
  seq: seq.toString(),
});

/**
 * Writes documents that all reflect feed position `sequence`. `insertOnly` is for a fresh shadow
 * table that has no primary key yet (a rebuild's bulk load, ids unique and ascending).
 */
export async function writeDocuments(
  db: Queryable,
  table: string,
  docs: IndexDocument[],
  sequence: bigint,
  insertOnly = false,
): Promise<void> {
  if (docs.length === 0) return;
  await db.query(upsertSql(table, !insertOnly), [JSON.stringify(docs.map((d) => toRecord(d, sequence)))]);
}

/**
 * Applies changes to `table` without touching the feed state: the last change per event wins,
 * and each write is conditional on the row being older.
 */
export async function writeChanges(db: Queryable, table: string, changes: FeedChange[]): Promise<void> {
  const latest = new Map<string, FeedChange>();
  for (const c of changes) {
    const seen = latest.get(c.eventId);
    if (!seen || seen.sequence < c.sequence) latest.set(c.eventId, c);
  }
  const upserts = [...latest.values()].filter((c) => c.document !== null);
  const removals = [...latest.values()].filter((c) => c.document === null);
  if (upserts.length > 0) {
    const records = upserts.map((c) => toRecord(c.document as IndexDocument, c.sequence));
    await db.query(upsertSql(table, true), [JSON.stringify(records)]);
  }
  if (removals.length > 0) {
    const records = removals.map((c) => ({ id: c.eventId, seq: c.sequence.toString() }));
    await db.query(deleteSql(table), [JSON.stringify(records)]);
  }
}

/** What applying a batch did, and the position after it. */
export type ApplyResult = FeedPosition & { appliedCount: number };

export interface FeedPosition {
  appliedSequence: bigint;
  indexVersion: bigint;
  builtAt: Date | null;
}

export async function readPosition(db: Queryable, forUpdate = false): Promise<FeedPosition> {
  const { rows } = await db.query<{ applied_sequence: string; index_version: string; built_at: Date | null }>(
    `select applied_sequence, index_version, built_at from search.feed_state where id = 'catalog'
     ${forUpdate ? "for update" : ""}`,
  );
  const row = rows[0];
  if (!row) throw new Error("search.feed_state has no 'catalog' row: run the search migrations");
  return {
    appliedSequence: BigInt(row.applied_sequence),
    indexVersion: BigInt(row.index_version),
    builtAt: row.built_at,
  };
}

/** Applies feed changes to the live index and advances the cursor, in one transaction. */
export class IndexWriter {
  constructor(private readonly pool: pg.Pool) {}

  position(): Promise<FeedPosition> {
    return readPosition(this.pool);
  }

  /**
   * Changes at or before the applied sequence are skipped. The state row is locked first, so two
   * appliers (or an apply and a rebuild's swap) take turns instead of interleaving.
   */
  async apply(changes: FeedChange[]): Promise<ApplyResult> {
    const client = await this.pool.connect();
    try {
      await client.query("begin");
      const before = await readPosition(client, true);
      const fresh = changes.filter((c) => c.sequence > before.appliedSequence);
      if (fresh.length === 0) {
        await client.query("commit");
        return { ...before, appliedCount: 0 };
      }
      await writeChanges(client, liveTable, fresh);
      const last = lastSequence(fresh, before.appliedSequence);
      const { rows } = await client.query<{ index_version: string }>(
        `update search.feed_state set applied_sequence = $1, index_version = index_version + 1,
           updated_at = now() where id = 'catalog' returning index_version`,
        [last.toString()],
      );
      await client.query("commit");
      return {
        appliedSequence: last,
        indexVersion: BigInt(rows[0]?.index_version ?? "0"),
        builtAt: before.builtAt,
        appliedCount: fresh.length,
      };
    } catch (err) {
      await client.query("rollback").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
}
