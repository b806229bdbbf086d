import { admissionEnv, type ConfigOf, commonSpec, env, loadConfig, serviceIdentitySpec } from "#platform";

export const inventorySpec = {
  ...commonSpec,
  ...serviceIdentitySpec,
  PORT: env.int(50053, 0, 65535),
  HOST: env.string("0.0.0.0"),
  /**
   * On SIGTERM, how long calls in flight get to finish after health turns NOT_SERVING and every
   * connection gets GOAWAY; what is still open then is cut. Keep it under the pod's grace period.
   */
  INVENTORY_DRAIN_MS: env.int(10_000, 0, 120_000),
  DATABASE_READ_URL: env.optionalUrl(["postgres", "postgresql"]),
  CATALOG_SERVICE_ADDR: env.url(["http", "https"], "http://127.0.0.1:50051"),
  /** Independent Redis masters for Redlock leases (comma-separated); defaults to REDIS_URL alone. */
  REDLOCK_URLS: env.optionalString(),
  /** How long a hold keeps its seats. */
  HOLD_SECONDS: env.int(600, 1, 86_400),
  /** Lease taken (or a hold extended to) while one booking runs; must outlast the payment timeout. */
  BOOKING_LEASE_MS: env.int(30_000, 200, 600_000),
  /**
   * How often expired holds are looked for and announced as released on the seat channel (live seat
   * maps show them within this plus delivery); 0 = never (maps learn it on their next snapshot).
   */
  HOLD_EXPIRY_SWEEP_MS: env.int(250, 0, 60_000),
  MAX_TICKETS_PER_ORDER: env.int(8, 1, 8),
  /** Tickets of one event one user may hold at once, across holds; 0 means MAX_TICKETS_PER_ORDER. */
  MAX_HELD_PER_USER: env.int(0, 0, 10_000),
  PAYMENT_PROVIDER: env.oneOf(["sandbox"], "sandbox"),
  /** Where the sandbox provider keeps its records (schema payments_sandbox); defaults to DATABASE_URL. */
  PAYMENT_SANDBOX_DATABASE_URL: env.optionalUrl(["postgres", "postgresql"]),
  /** How long a sandbox authorization may wait for its capture before it expires (7 days). */
  PAYMENT_AUTHORIZATION_TTL_SECONDS: env.int(604_800, 1, 2_592_000),
  /** Longest wait for the payment provider's authorize answer. */
  PAYMENT_TIMEOUT_MS: env.int(10_000, 50, 120_000),
  /** PENDING bookings older than this are settled by the reconciler. */
  RECONCILE_AFTER_SECONDS: env.int(120, 1, 86_400),
  /** A PENDING booking still unsettled this long after it was made is marked NEEDS_REVIEW. */
  RECONCILE_GIVE_UP_SECONDS: env.int(3_600, 1, 2_592_000),
  /** How often the reconciler runs; 0 runs it only at start. */
  RECONCILE_INTERVAL_SECONDS: env.int(30, 0, 86_400),
  DATABASE_POOL_MAX: env.int(20, 1, 500),
  /** Public keys (JWKS) that check the waiting room's admission tokens; unset refuses every hold of a waiting-room event. */
  ADMISSION_PUBLIC_KEYS: admissionEnv.optionalPublicKeys(),
  /**
   * Longest wait between two reads of the catalog's change feed (sale windows) when its pub/sub
   * wake-up is lost; normally a change is applied within milliseconds of its commit.
   */
  SALE_FEED_POLL_MS: env.int(1_000, 50, 600_000),
};

export type InventoryConfig = ConfigOf<typeof inventorySpec> & {
  /** Parsed REDLOCK_URLS, or [REDIS_URL] when unset. */
  redlockUrls: string[];
};

export function loadInventoryConfig(source: NodeJS.ProcessEnv = process.env): InventoryConfig {
  const config = loadConfig(inventorySpec, source);
  const { REDLOCK_URLS } = loadConfig(
    { REDLOCK_URLS: env.urlList(["redis", "rediss"], config.REDIS_URL) },
    source,
  );
  return { ...config, redlockUrls: REDLOCK_URLS };
}
