import pg from "pg";

/**
 * A plain `pg` pool: every statement of this service is hand-written SQL (tsvector, trigram and
 * window queries the ORM cannot express), sent with real bind parameters. The ORM only owns the
 * schema and migrations. JIT and parallel workers are off: they cost more than they save on
 * millisecond queries at high concurrency.
 */
export function createSearchPool(url: string, max: number, statementTimeoutMs = 10_000): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: "search",
    connectionTimeoutMillis: 3000,
    // The index lives in memory (page cache), so random reads cost about what sequential ones do.
    options: `-c jit=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1 -c statement_timeout=${statementTimeoutMs}`,
  });
  // An idle connection dropped by the server must not take the process down.
  pool.on("error", () => {});
  return pool;
}
