import { type ConfigOf, commonSpec, env, loadConfig, serviceIdentitySpec } from "#platform";

export const searchSpec = {
  ...commonSpec,
  ...serviceIdentitySpec,
  PORT: env.int(50052, 0, 65535),
  HOST: env.string("0.0.0.0"),
  /**
   * On SIGTERM, how long calls in flight get to finish after health turns NOT_SERVING and every
   * connection gets GOAWAY; what is still open then is cut. Keep it under the pod's grace period.
   */
  SEARCH_DRAIN_MS: env.int(10_000, 0, 120_000),
  /** Read replica for queries; the index is written through DATABASE_URL. */
  DATABASE_READ_URL: env.optionalUrl(["postgres", "postgresql"]),
  /** The change feed (ListChanges, ExportEvents). Unset: the index is only written by reindex tools. */
  CATALOG_SERVICE_ADDR: env.optionalUrl(["http", "https"]),
  /** Lowest available prices (GetPriceRanges). Unset: results carry no price. */
  INVENTORY_SERVICE_ADDR: env.optionalUrl(["http", "https"]),
  /** Lifetime of a cached result page; 0 turns the result cache off. */
  SEARCH_CACHE_TTL_SECONDS: env.int(30, 0, 3600),
  /** Fallback poll of the change feed when no pub/sub wake-up arrives. */
  SEARCH_FEED_POLL_MS: env.int(1000, 50, 60_000),
  /** Whether a never-built index is rebuilt from ExportEvents at start-up. */
  SEARCH_AUTO_REBUILD: env.bool(true),
  /**
   * Matches ranked and counted per query (the relevance window; totals are capped here). Smaller
   * is cheaper for broad words: bench/search-explain.ts measured −18 % PostgreSQL time at 300 and
   * −34 % at 100 over the benchmark mix, at the price of ranking broad words among fewer matches.
   */
  SEARCH_MAX_RESULTS: env.int(1000, 20, 10_000),
  /** PostgreSQL connections for queries. */
  DATABASE_POOL_MAX: env.int(10, 1, 200),
};

export type SearchConfig = ConfigOf<typeof searchSpec>;

export function loadSearchConfig(source: NodeJS.ProcessEnv = process.env): SearchConfig {
  return loadConfig(searchSpec, source);
}
