import type pg from "pg";
import { createPool } from "#platform";

/**
 * The platform's plain `pg` pool with search's settings: every statement of this service is
 * hand-written SQL (tsvector, trigram and window queries the ORM cannot express), sent with real
 * bind parameters; the ORM only owns the schema and migrations. JIT and parallel workers are off:
 * they cost more than they save on millisecond queries at high concurrency.
 */
export function createSearchPool(url: string, max: number, statementTimeoutMs = 10_000): pg.Pool {
  return createPool(url, max, {
    applicationName: "search",
    settings: {
      jit: "off",
      max_parallel_workers_per_gather: 0,
      // The index lives in memory (page cache), so random reads cost about what sequential ones do.
      random_page_cost: 1.1,
      statement_timeout: statementTimeoutMs,
    },
  });
}
