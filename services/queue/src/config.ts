import { admissionEnv, type ConfigOf, commonSpec, env, loadConfig, serviceIdentitySpec } from "#platform";

export const queueSpec = {
  ...commonSpec,
  ...serviceIdentitySpec,
  PORT: env.int(50054, 0, 65535),
  HOST: env.string("0.0.0.0"),
  /**
   * On SIGTERM, how long calls in flight get to finish after health turns NOT_SERVING and every
   * connection gets GOAWAY; what is still open then is cut. Keep it under the pod's grace period.
   */
  QUEUE_DRAIN_MS: env.int(10_000, 0, 120_000),
  DATABASE_POOL_MAX: env.int(4, 1, 100),
  CATALOG_SERVICE_ADDR: env.url(["http", "https"], "http://127.0.0.1:50051"),
  INVENTORY_SERVICE_ADDR: env.url(["http", "https"], "http://127.0.0.1:50053"),
  /** Ed25519 private JWK (with kid) that signs admission tokens; a Secret in Kubernetes. */
  ADMISSION_SIGNING_KEY: admissionEnv.signingKey(),
  /**
   * How often the admission step runs per event. Also bounds how late "sold out" reaches the
   * waiters: the step asks inventory each time.
   */
  QUEUE_TICK_MS: env.int(250, 20, 10_000),
  /** Lease that makes one replica the admission loop of an event; a dead leader is replaced after it. */
  QUEUE_LEADER_LEASE_MS: env.int(2000, 100, 60_000),
};

export type QueueConfig = ConfigOf<typeof queueSpec>;

export function loadQueueConfig(source: NodeJS.ProcessEnv = process.env): QueueConfig {
  return loadConfig(queueSpec, source);
}
