import { type ConfigOf, commonSpec, env, loadConfig, serviceIdentitySpec } from "#platform";

export const catalogSpec = {
  ...commonSpec,
  ...serviceIdentitySpec,
  PORT: env.int(50051, 0, 65535),
  HOST: env.string("0.0.0.0"),
  /**
   * On SIGTERM, how long calls in flight get to finish after health turns NOT_SERVING and every
   * connection gets GOAWAY; what is still open then is cut. Keep it under the pod's grace period.
   */
  CATALOG_DRAIN_MS: env.int(10_000, 0, 120_000),
  /** Read replica for GetEvent/GetVenue/ListEvents; unset means the primary serves reads too. */
  DATABASE_READ_URL: env.optionalUrl(["postgres", "postgresql"]),
  DATABASE_POOL_MAX: env.int(10, 1, 200),
  /** Read-through Redis cache of GetEvent/GetVenue; off sends every read to PostgreSQL. */
  CATALOG_CACHE: env.bool(true),
  /** Upper bound on staleness if an invalidation is lost (e.g. Redis was down during a write). */
  CATALOG_CACHE_TTL_SECONDS: env.int(300, 1, 86_400),
};

export type CatalogConfig = ConfigOf<typeof catalogSpec>;

export function loadCatalogConfig(source: NodeJS.ProcessEnv = process.env): CatalogConfig {
  return loadConfig(catalogSpec, source);
}
