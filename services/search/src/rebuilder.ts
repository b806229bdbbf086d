// Full rebuild from the catalog's export, without downtime for readers: the export is loaded into
// a shadow table, indexed, caught up with the feed, and swapped in within one short transaction
// that also moves the cursor. Searches keep reading the old table until that commit.
import type pg from "pg";
import { type ChangeFeed, type FeedChange, lastSequence } from "./change-feed.ts";
import { createShadow, indexShadow, shadowTable, swapInShadow } from "./index-tables.ts";
import { readPosition, writeChanges, writeDocuments } from "./index-writer.ts";

export interface RebuildProgress {
  phase: "export" | "index" | "catch-up" | "swap" | "done";
  documents: number;
  elapsedMs: number;
}

export interface RebuildResult {
  documents: number;
  appliedSequence: bigint;
  indexVersion: bigint;
  elapsedMs: number;
}

export interface RebuilderOptions {
  pageSize?: number;
  changeBatch?: number;
  onProgress?: (p: RebuildProgress) => void;
}

export class Rebuilder {
  private readonly pageSize: number;
  private readonly changeBatch: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly feed: ChangeFeed,
    private readonly options: RebuilderOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 2000;
    this.changeBatch = options.changeBatch ?? 1000;
  }

  async rebuild(): Promise<RebuildResult> {
    const started = performance.now();
    const progress = (phase: RebuildProgress["phase"], documents: number) =>
      this.options.onProgress?.({ phase, documents, elapsedMs: performance.now() - started });
    const client = await this.pool.connect();
    // One rebuild at a time per database (a service's first build and a reindex CLI could overlap).
    const { rows: lock } = await client.query<{ ok: boolean }>(
      "select pg_try_advisory_lock(hashtext('search-rebuild')) as ok",
    );
    if (!lock[0]?.ok) {
      client.release();
      throw new Error("another search index rebuild is running");
    }
    try {
      await createShadow(client);
      let after = "";
      let from: bigint | null = null;
      let documents = 0;
      for (;;) {
        const page = await this.feed.exportEvents(after, this.pageSize);
        // Replaying from the first page's position loses nothing: later pages are at least as new.
        from ??= page.sequence;
        if (page.documents.length === 0) break;
        await writeDocuments(client, shadowTable, page.documents, page.sequence, true);
        documents += page.documents.length;
        after = page.documents.at(-1)?.id ?? after;
        progress("export", documents);
        if (page.documents.length < this.pageSize) break;
      }
      progress("index", documents);
      await indexShadow(client);
      // Catch up outside the lock first, so the locked final step has little left to do.
      let position = await this.catchUp(client, from ?? 0n);
      progress("catch-up", documents);
      await client.query("begin");
      try {
        await client.query("set local lock_timeout = '10s'");
        // Locking the state row holds back the live follower until the swap commits.
        const state = await readPosition(client, true);
        position = await this.catchUp(client, position);
        progress("swap", documents);
        await swapInShadow(client);
        const { rows } = await client.query<{ index_version: string }>(
          `update search.feed_state set applied_sequence = $1, index_version = index_version + 1,
             built_at = now(), updated_at = now() where id = 'catalog' returning index_version`,
          [position.toString()],
        );
        await client.query("commit");
        progress("done", documents);
        return {
          documents,
          appliedSequence: position,
          indexVersion: BigInt(rows[0]?.index_version ?? state.indexVersion + 1n),
          elapsedMs: performance.now() - started,
        };
      } catch (err) {
        await client.query("rollback").catch(() => {});
        throw err;
      }
    } catch (err) {
      await client.query(`drop table if exists ${shadowTable}`).catch(() => {});
      throw err;
    } finally {
      await client.query("select pg_advisory_unlock(hashtext('search-rebuild'))").catch(() => {});
      client.release();
    }
  }

  /** Applies every change after `from` to the shadow; returns the last sequence applied. */
  private async catchUp(db: pg.ClientBase, from: bigint): Promise<bigint> {
    let position = from;
    for (;;) {
      const changes: FeedChange[] = await this.feed.listChanges(position, this.changeBatch);
      if (changes.length === 0) return position;
      await writeChanges(db, shadowTable, changes);
      position = lastSequence(changes, position);
      if (changes.length < this.changeBatch) return position;
    }
  }
}
