// Connection pools for a service's hot statements, beside the ORM's own. They exist for one
// reason: named prepared statements, which the ORM's raw-SQL path does not offer. A named
// statement is parsed and planned once per connection instead of on every call — on the
// PostgreSQL path of a hot event page that planning was a third of the query's cost, and the
// booking path's CTEs plan slower than they run.
import pg from "pg";

export class SqlPools {
  private readonly primary: pg.Pool;
  private readonly replica: pg.Pool | undefined;

  constructor(primaryUrl: string, readUrl: string | undefined, max: number) {
    const options = { max, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 };
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
