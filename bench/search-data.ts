// Benchmark data: a dedicated database whose search index holds N synthetic events, generated in
// SQL straight into a shadow table and swapped in like a real rebuild. Reused when it already
// holds exactly N events.
import pg from "pg";
import { createOrm, migrate } from "#platform";
import { fillSyntheticIndex } from "../scripts/seed/synthetic-index.ts";
import { searchDb } from "../services/search/src/db.ts";
import {
  addTermsFrom,
  createShadow,
  indexShadow,
  shadowTable,
  swapInShadow,
} from "../services/search/src/index-tables.ts";

/** Bump when the generator changes, so an old benchmark database is regenerated rather than reused. */
const dataVersion = "v2";
const log = (line: string) => process.stderr.write(`${line}\n`);

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Returns the URL of a database whose index holds exactly `count` events, building it if needed. */
export async function ensureBenchIndex(adminUrl: string, name: string, count: number): Promise<string> {
  const url = await ensureDatabase(adminUrl, name);
  const orm = await createOrm({ url, ...searchDb, poolMax: 1 });
  try {
    await migrate(orm, searchDb.schema);
  } finally {
    await orm.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const marker = `synthetic ${dataVersion}: ${count} events`;
    const { rows } = await client.query<{ marker: string | null }>(
      "select obj_description('search.event_doc'::regclass, 'pg_class') as marker",
    );
    if (rows[0]?.marker === marker) {
      log(`reusing ${name}: ${count.toLocaleString("en-US")} events already indexed`);
      return url;
    }
    const started = performance.now();
    log(`generating ${count.toLocaleString("en-US")} events into ${name} …`);
    await client.query("set max_parallel_workers_per_gather = 0");
    await createShadow(client);
    await fillSyntheticIndex(client, {
      table: shadowTable,
      count,
      onProgress: (done, total) =>
        log(`  ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} rows (${secs(started)} s)`),
    });
    log(`  indexing (${secs(started)} s) …`);
    await indexShadow(client);
    log(`  lexicon (${secs(started)} s) …`);
    await addTermsFrom(client, shadowTable);
    await client.query("begin");
    await swapInShadow(client);
    await client.query(
      "update search.feed_state set built_at = now(), index_version = index_version + 1 where id = 'catalog'",
    );
    await client.query(`comment on table search.event_doc is '${marker}'`);
    await client.query("commit");
    await client.query("vacuum analyze search.event_doc");
    log(`  done in ${secs(started)} s`);
    return url;
  } finally {
    await client.end();
  }
}

const secs = (started: number) => ((performance.now() - started) / 1000).toFixed(1);
