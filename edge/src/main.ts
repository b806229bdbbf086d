import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { QueueService } from "#gen/ticketing/queue/v1/queue_pb.js";
import { SearchService } from "#gen/ticketing/search/v1/search_pb.js";
import {
  createLogger,
  createOrm,
  createRedis,
  exitWithError,
  IdentitySigner,
  isMainModule,
  onShutdown,
  serviceClient,
} from "#platform";
import { buildEdge } from "./app.ts";
import { type EdgeConfig, loadEdgeConfig } from "./config.ts";
import { edgeDeps } from "./deps.ts";
import { identityDb } from "./identity/db.ts";
import { TokenService } from "./identity/tokens.ts";
import { UserDirectory } from "./identity/users.ts";

/** Wires the edge from config; exported so tests and the local stack can start it in-process. */
export async function build(config: EdgeConfig) {
  const logger = createLogger("edge", config.LOG_LEVEL);
  const orm =
    config.AUTH_MODE === "local"
      ? await createOrm({ url: config.DATABASE_URL, ...identityDb, poolMax: 4 })
      : undefined;
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  // Every call to a service names its caller (given with asCaller) in a token signed for that service.
  const signer = new IdentitySigner(config.IDENTITY_SIGNING_KEY);
  const deps = edgeDeps({
    config,
    logger,
    catalog: serviceClient(CatalogService, config.CATALOG_SERVICE_ADDR, [signer.interceptor("catalog")]),
    search: serviceClient(SearchService, config.SEARCH_SERVICE_ADDR, [signer.interceptor("search")]),
    inventory: serviceClient(InventoryService, config.INVENTORY_SERVICE_ADDR, [
      signer.interceptor("inventory"),
    ]),
    queue: serviceClient(QueueService, config.QUEUE_SERVICE_ADDR, [signer.interceptor("queue")]),
    redis,
    tokens: new TokenService(config.JWT_SECRET, config.JWT_ISSUER, config.TOKEN_TTL_SECONDS),
    ...(orm ? { users: new UserDirectory(orm, new Set(["admin@example.com"])) } : {}),
  });
  const app = await buildEdge(deps);
  return {
    app,
    deps,
    async close() {
      await app.close();
      deps.rooms.stop();
      redis.disconnect();
      await orm?.close();
    },
  };
}

if (isMainModule(import.meta.url)) {
  const config = loadEdgeConfig();
  const edge = await build(config);
  await edge.app.listen({ port: config.PORT, host: config.HOST, backlog: config.LISTEN_BACKLOG });
  edge.deps.logger.info({ port: config.PORT }, "edge listening");
  const metrics = config.METRICS_PORT
    ? await edge.deps.metrics
        .listen(config.METRICS_PORT, config.HOST)
        .catch((err: Error) =>
          exitWithError(`edge: cannot serve metrics on METRICS_PORT ${config.METRICS_PORT}: ${err.message}`),
        )
    : undefined;
  onShutdown(edge.deps.logger, async () => {
    metrics?.close();
    await edge.close();
  });
}
