import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import {
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
import { createInventory } from "./app.ts";
import { systemClock } from "./clock.ts";
import { type InventoryConfig, loadInventoryConfig } from "./config.ts";
import { SandboxGateway } from "./payments/sandbox-gateway.ts";

/** Wires the inventory service from config; exported so tests and the local stack start it in-process. */
export async function build(config: InventoryConfig) {
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
  const inventory = createInventory({
    db,
    redis,
    lockClients,
    catalog: serviceClient(CatalogService, config.CATALOG_SERVICE_ADDR),
    gateway: new SandboxGateway(systemClock),
    clock: systemClock,
    logger,
    settings: config,
  });
  inventory.reconciler.start();
  inventory.expirySweeper.start();
  const server = await serve({
    serviceNames: [InventoryService.typeName],
    port: config.PORT,
    host: config.HOST,
    logger,
    routes: (router) => router.service(InventoryService, inventory.rpc),
    identity: new IdentityVerifier(config.IDENTITY_PUBLIC_KEYS, "inventory"),
  });
  return {
    logger,
    url: server.url,
    port: server.port,
    inventory,
    async close() {
      await server.close();
      await Promise.all([inventory.reconciler.stop(), inventory.expirySweeper.stop()]);
      redis.disconnect();
      for (const client of lockClients) client.disconnect();
      await db.close();
    },
  };
}

if (isMainModule(import.meta.url)) {
  const service = await build(loadInventoryConfig());
  onShutdown(service.logger, () => service.close());
}
