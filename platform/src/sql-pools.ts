// Connection pools for a service's hot statements, beside the ORM's own. They exist for one
// reason: named prepared statements, which the ORM's raw-SQL path does not offer. A named
// statement is parsed once per connection instead of on every call — on the PostgreSQL path of a
// hot event page that planning was a third of the query's cost.
import pg from "pg";

export interface SqlPoolOptions {
  /**
   * Plan each statement once per connection (`plan_cache_mode = force_generic_plan`). PostgreSQL
   * otherwise keeps re-planning a statement whose generic plan it costs above the custom ones —
   * which it does for `= any($1)` over arrays it assumes hold ten elements — and the booking
   * path's CTEs plan slower than they run. Only for statements that are keyed lookups whatever
   * their parameters. Like every cached plan, one made while a table was still empty (a seq scan)
   * is replaced once autovacuum first analyzes it.
   */
  genericPlans?: boolean;
}

export class SqlPools {
  private readonly primary: pg.Pool;
  private readonly replica: pg.Pool | undefined;

  constructor(primaryUrl: string, readUrl: string | undefined, max: number, opts: SqlPoolOptions = {}) {
    const options = {
      max,
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      ...(opts.genericPlans ? { options: "-c plan_cache_mode=force_generic_plan" } : {}),
    };
    this.primary = quiet(new pg.Pool({ connectionString: primaryUrl, ...options }));
    this.replica = readUrl ? quiet(new pg.Pool({ connectionString: readUrl, ...options })) : undefined;
  }

  /** Runs the statement `name` (prepared on first use per connection) on the replica or primary. */
  async query<T>(name: string, text: string, values: unknown[], usePrimary = false): Promise<T[]> {
    const pool = usePrimary ? this.primary : (this.replica ?? this.primary);
    const result = await pool.query({ name, text, values });
    return result.rows as T[];
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.end(), this.replica?.end()]);
  }
}

/** An idle client losing its server must not crash the process; the next query reports it. */
function quiet(pool: pg.Pool): pg.Pool {
  pool.on("error", () => {});
  return pool;
}
