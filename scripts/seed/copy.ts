// Bulk loading with COPY FROM STDIN: an order of magnitude faster than INSERT for millions of rows.
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

type Cell = string | number | boolean | null | undefined | Date | string[];

function encode(value: Cell): string {
  if (value === null || value === undefined) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value))
    return encode(`{${value.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`);
  return String(value).replace(
    /[\\\n\r\t]/g,
    (c) => ({ "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c] as string,
  );
}

/** Streams rows into `table (columns)`; `rows` is consumed lazily so memory stays flat. */
export async function copyRows(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly string[],
  rows: Iterable<Cell[]>,
  onBatch?: (n: number) => void,
): Promise<number> {
  const stream = client.query(
    copyFrom(`copy ${table} (${columns.map((c) => `"${c}"`).join(", ")}) from stdin`),
  );
  let count = 0;
  async function* lines() {
    let chunk: string[] = [];
    for (const row of rows) {
      chunk.push(`${row.map(encode).join("\t")}\n`);
      count++;
      if (chunk.length === 5000) {
        yield chunk.join("");
        onBatch?.(chunk.length);
        chunk = [];
      }
    }
    if (chunk.length > 0) {
      yield chunk.join("");
      onBatch?.(chunk.length);
    }
  }
  await pipeline(lines(), stream as unknown as Writable);
  return count;
}
