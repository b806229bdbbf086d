import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import {
  catalogChangesChannel,
  createLockClients,
  createLogger,
  createRedis,
  IdentityVerifier,
  isMainModule,
  onShutdown,
  redisReady,
  SqlPools,
  serve,
  serviceClient,
} from "#platform";
import { createInventory, type InventoryDeps } from "./app.ts";
import { systemClock } from "./clock.ts";
import { type InventoryConfig, loadInventoryConfig } from "./config.ts";
import { SandboxGateway } from "./payments/sandbox/sandbox-gateway.ts";
import { SandboxStore } from "./payments/sandbox/sandbox-store.ts";
import { CatalogSaleFeed } from "./sales/catalog-sale-feed.ts";
import { followCatalog } from "./sales/follow-catalog.ts";

/**
 * Wires the inventory service from config; exported so tests and the local stack start it
 * in-process. `hooks` exist for tests only (nothing in config can set them): the crash tests'
 * own entry point stops a booking at a step so the process can be killed there.
 */
export async function build(config: InventoryConfig, hooks: Pick<InventoryDeps, "onStep"> = {}) {
  const logger = createLogger("inventory", config.LOG_LEVEL);
  // Writes and the booking path's reads name the primary; display reads use the replica. The
  // schema is migrations' business (npm run migrate): this process never starts the ORM.
  const db = new SqlPools(config.DATABASE_URL, config.DATABASE_READ_URL, config.DATABASE_POOL_MAX, {
    genericPlans: true,
  });
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  const lockClients = createLockClients(config.redlockUrls);
  // A minority of masters may be down at start: the quorum still works, so only log them.
  const ready = await Promise.allSettled([redis, ...lockClients].map((c) => redisReady(c, 2000)));
  const down = ready.filter((r) => r.status === "rejected").length;
  if (down > 0) logger.warn({ down }, "some Redis servers are not answering yet");
  const catalog = serviceClient(CatalogService, config.CATALOG_SERVICE_ADDR);
  // The provider is another party: its own records and connections (see payments/sandbox/).
  const sandbox = new SandboxStore(config.PAYMENT_SANDBOX_DATABASE_URL ?? config.DATABASE_URL);
  const inventory = createInventory({
    db,
    redis,
    lockClients,
    catalog,
    gateway: new SandboxGateway(sandbox, {
      clock: systemClock,
      authorizationTtlMs: config.PAYMENT_AUTHORIZATION_TTL_SECONDS * 1000,
    }),
    clock: systemClock,
    logger,
    settings: config,
    ...hooks,
  });
  inventory.reconciler.start();
  inventory.expirySweeper.start();
  const subscriber = createRedis(config.REDIS_URL);
  const saleFeed = followCatalog(
    new CatalogSaleFeed(catalog, subscriber, catalogChangesChannel(config.REDIS_KEY_PREFIX)),
    inventory.sales,
    { pollMs: config.SALE_FEED_POLL_MS, logger },
  );
  const server = await serve({
    serviceNames: [InventoryService.typeName],
    port: config.PORT,
    host: config.HOST,
    logger,
    routes: (router) => router.service(InventoryService, inventory.rpc),
    identity: new IdentityVerifier(config.IDENTITY_PUBLIC_KEYS, "inventory"),
    drainMs: config.INVENTORY_DRAIN_MS,
  });
  return {
    logger,
    url: server.url,
    port: server.port,
    inventory,
    async close() {
      await server.close();
      await Promise.all([inventory.reconciler.stop(), inventory.expirySweeper.stop()]);
      await saleFeed.stop();
      subscriber.disconnect();
      redis.disconnect();
      for (const client of lockClients) client.disconnect();
      await Promise.all([db.close(), sandbox.close()]);
    },
  };
}

if (isMainModule(import.meta.url)) {
  const service = await build(loadInventoryConfig());
  onShutdown(service.logger, () => service.close());
}
