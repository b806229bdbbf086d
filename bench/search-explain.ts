// `node --import tsx bench/search-explain.ts [--analyze]`: single-client service time of every
// benchmark query's statement (median of 5 warm runs), and with --analyze its EXPLAIN (ANALYZE,
// BUFFERS) plan. Run under the benchmark lock: it measures, so nothing else should.
import { parseArgs } from "node:util";
import { createSearchPool } from "../services/search/src/db-pool.ts";
import { benchQueries, benchStatements, queryString } from "./search-queries.ts";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "postgres://postgres@127.0.0.1:5432/ticketing_bench_search" },
    analyze: { type: "boolean", default: false },
    only: { type: "string", default: "" },
    maxResults: { type: "string", default: "1000" },
  },
});
const statements = await benchStatements(args.database as string, Number(args.maxResults));
const pool = createSearchPool(args.database as string, 1);
let sum = 0;
for (const [index, bq] of benchQueries.entries()) {
  const qs = queryString(bq.params);
  if (args.only && !qs.includes(args.only as string)) continue;
  const s = statements[index] as { text: string; values: unknown[] };
  const times: number[] = [];
  let rows = 0;
  let total = "";
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const r = await pool.query(s.text, s.values);
    if (i > 0) times.push(performance.now() - t0);
    rows = r.rowCount ?? 0;
    total = r.rows[0]?.total ?? "";
  }
  times.sort((a, b) => a - b);
  const median = times[2] as number;
  sum += median;
  process.stdout.write(
    `${median.toFixed(2).padStart(8)} ms  rows ${rows} total ${total}  ${bq.kind}: ${qs}\n`,
  );
  if (args.analyze) {
    const plan = await pool.query(`explain (analyze, buffers) ${s.text}`, s.values);
    for (const r of plan.rows) process.stdout.write(`      ${r["QUERY PLAN"]}\n`);
  }
}
process.stdout.write(`mean ${(sum / benchQueries.length).toFixed(2)} ms per query\n`);
await pool.end();
