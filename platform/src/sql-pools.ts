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
  /** Server settings for every connection (`-c name=value`), e.g. `{ jit: "off" }`. */
  settings?: Record<string, string | number>;
  /** `application_name` of the connections (shows in `pg_stat_activity`). */
  applicationName?: string;
  connectionTimeoutMillis?: number;
}

export interface QueryOptions {
  /** Run on the primary even when a replica is configured (writes, and reads that must see them). */
  primary?: boolean;
}

/** Anything that runs a named statement: the pools, or one transaction's connection. */
export interface Queryable {
  query<T>(name: string, text: string, values: unknown[], options?: QueryOptions): Promise<T[]>;
}

/** A plain `pg` pool with the platform's defaults (timeouts, settings, no crash on idle errors). */
export function createPool(url: string, max: number, opts: SqlPoolOptions = {}): pg.Pool {
  const settings = {
    ...opts.settings,
    ...(opts.genericPlans ? { plan_cache_mode: "force_generic_plan" } : {}),
  };
  const options = Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(" ");
  return quiet(
    new pg.Pool({
      connectionString: url,
      max,
      connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 3000,
      idleTimeoutMillis: 30_000,
      ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
      ...(options ? { options } : {}),
    }),
  );
}

export class SqlPools implements Queryable {
  private readonly primary: pg.Pool;
  private readonly replica: pg.Pool | undefined;

  constructor(primaryUrl: string, readUrl: string | undefined, max: number, opts: SqlPoolOptions = {}) {
    this.primary = createPool(primaryUrl, max, opts);
    this.replica = readUrl ? createPool(readUrl, max, opts) : undefined;
  }

  /** Runs the statement `name` (prepared on first use per connection) on the replica, or the primary. */
  async query<T>(name: string, text: string, values: unknown[], options: QueryOptions = {}): Promise<T[]> {
    const pool = options.primary ? this.primary : (this.replica ?? this.primary);
    const result = await pool.query({ name, text, values });
    return result.rows as T[];
  }

  /**
   * Runs `work` in one transaction on the primary; its statements are named too (prepared on that
   * connection). Commits when `work` resolves, rolls back when it throws. A connection that failed
   * is discarded rather than returned to the pool.
   */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.primary.connect();
    let broken: Error | undefined;
    // A checked-out client has no pool listener: a dropped connection must fail the work, not the process.
    const onError = (err: Error) => {
      broken = err;
    };
    client.on("error", onError);
    try {
      await client.query("begin");
      const tx: Queryable = {
        query: async <R>(name: string, text: string, values: unknown[]) =>
          (await client.query({ name, text, values })).rows as R[],
      };
      const result = await work(tx);
      await client.query("commit");
      return result;
    } catch (err) {
      await client.query("rollback").catch((e: Error) => {
        broken = e;
      });
      throw err;
    } finally {
      client.removeListener("error", onError);
      client.release(broken);
    }
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
