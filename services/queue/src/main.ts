import { randomUUID } from "node:crypto";
import type { Interceptor } from "@connectrpc/connect";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { QueueService } from "#gen/ticketing/queue/v1/queue_pb.js";
import {
  AdmissionSigner,
  createLogger,
  createOrm,
  createRedis,
  IdentityVerifier,
  isMainModule,
  onShutdown,
  redisReady,
  serve,
  serviceClient,
} from "#platform";
import { AdmissionLoop } from "./admission/admission-loop.ts";
import { LeaderLease } from "./admission/leader-lease.ts";
import { loadQueueConfig, type QueueConfig } from "./config.ts";
import { queueDb } from "./db.ts";
import { RoomStore } from "./room/room-store.ts";
import { EventLookup } from "./rpc/event-lookup.ts";
import { QueueRpc } from "./rpc/queue-rpc.ts";
import { SettingsStore } from "./settings/settings-store.ts";

export interface BuildOptions {
  /** Extra server interceptors, e.g. a call counter in tests and benchmarks. */
  interceptors?: Interceptor[];
  /** Don't run the admission loop (tests that drive `loop.tick()` themselves). */
  manualLoop?: boolean;
}

/** Wires the queue service from config and serves it; exported for tests and the local stack. */
export async function build(config: QueueConfig, options: BuildOptions = {}) {
  const logger = createLogger("queue", config.LOG_LEVEL);
  const orm = await createOrm({ url: config.DATABASE_URL, ...queueDb, poolMax: config.DATABASE_POOL_MAX });
  // No offline queue and a short timeout: with Redis away a join fails at once with 503 instead
  // of hanging, and a status answer never waits for a reconnect.
  const redis = createRedis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    enableOfflineQueue: false,
    commandTimeout: 1000,
  });
  await redisReady(redis, 3000).catch(() =>
    logger.warn("Redis is not answering yet: joins fail with 503 until it does"),
  );
  const now = () => Date.now();
  const inventory = serviceClient(InventoryService, config.INVENTORY_SERVICE_ADDR);
  const rooms = new RoomStore(redis, Math.ceil(60_000 / config.QUEUE_TICK_MS));
  const settings = new SettingsStore(orm, 1000, now);
  const loop = new AdmissionLoop({
    rooms,
    settings,
    lease: new LeaderLease(redis, randomUUID(), config.QUEUE_LEADER_LEASE_MS),
    inventory,
    logger,
    now,
    tickMs: config.QUEUE_TICK_MS,
  });
  const rpc = new QueueRpc({
    rooms,
    settings,
    events: new EventLookup(serviceClient(CatalogService, config.CATALOG_SERVICE_ADDR), 30_000, now),
    inventory,
    signer: new AdmissionSigner(config.ADMISSION_SIGNING_KEY),
    now,
    countersCacheMs: 500,
  });
  const server = await serve({
    serviceNames: [QueueService.typeName],
    port: config.PORT,
    host: config.HOST,
    logger,
    routes: (router) => router.service(QueueService, rpc),
    identity: new IdentityVerifier(config.IDENTITY_PUBLIC_KEYS, "queue"),
    drainMs: config.QUEUE_DRAIN_MS,
    ...(options.interceptors ? { interceptors: options.interceptors } : {}),
  });
  if (!options.manualLoop) loop.start();
  let closing: Promise<void> | undefined;
  return {
    logger,
    url: server.url,
    port: server.port,
    loop,
    close() {
      closing ??= (async () => {
        await loop.stop();
        await server.close();
        redis.disconnect();
        await orm.close();
      })();
      return closing;
    },
  };
}

if (isMainModule(import.meta.url)) {
  const service = await build(loadQueueConfig());
  onShutdown(service.logger, () => service.close());
}
