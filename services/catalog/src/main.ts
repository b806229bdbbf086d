import type { Interceptor } from "@connectrpc/connect";
import { CatalogService as CatalogServiceDesc } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import {
  createLogger,
  createOrm,
  createRedis,
  IdentityVerifier,
  isMainModule,
  onShutdown,
  SqlPools,
  serve,
} from "#platform";
import { CatalogService } from "./catalog-service.ts";
import { type CatalogConfig, loadCatalogConfig } from "./config.ts";
import { catalogDb } from "./db.ts";

export interface BuildOptions {
  /** Extra server interceptors, e.g. a call counter in tests and benchmarks. */
  interceptors?: Interceptor[];
}

/** Wires the catalog service from config and serves it; exported for tests and the local stack. */
export async function build(config: CatalogConfig, options: BuildOptions = {}) {
  const logger = createLogger("catalog", config.LOG_LEVEL);
  const orm = await createOrm({
    url: config.DATABASE_URL,
    readUrl: config.DATABASE_READ_URL,
    ...catalogDb,
    poolMax: config.DATABASE_POOL_MAX,
  });
  // No offline queue and a short command timeout: when Redis is away, cached reads fall back to
  // PostgreSQL at once instead of waiting for a reconnect.
  const redis = createRedis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    enableOfflineQueue: false,
    commandTimeout: 500,
  });
  const pools = new SqlPools(config.DATABASE_URL, config.DATABASE_READ_URL, config.DATABASE_POOL_MAX);
  const service = new CatalogService({
    orm,
    pools,
    redis,
    logger,
    clock: () => new Date(),
    keyPrefix: config.REDIS_KEY_PREFIX,
    cacheTtlMs: config.CATALOG_CACHE ? config.CATALOG_CACHE_TTL_SECONDS * 1000 : 0,
  });
  const server = await serve({
    serviceNames: [CatalogServiceDesc.typeName],
    port: config.PORT,
    host: config.HOST,
    logger,
    routes: (router) => router.service(CatalogServiceDesc, service),
    identity: new IdentityVerifier(config.IDENTITY_PUBLIC_KEYS, "catalog"),
    drainMs: config.CATALOG_DRAIN_MS,
    ...(options.interceptors ? { interceptors: options.interceptors } : {}),
  });
  return {
    logger,
    url: server.url,
    port: server.port,
    async close() {
      await server.close();
      redis.disconnect();
      await Promise.all([orm.close(), pools.close()]);
    },
  };
}

if (isMainModule(import.meta.url)) {
  const service = await build(loadCatalogConfig());
  onShutdown(service.logger, () => service.close());
}
