// Wires the search service: index queries, result cache, prices, and the background feed sync.
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { SearchService as SearchServiceDesc } from "#gen/ticketing/search/v1/search_pb.js";
import {
  catalogChangesChannel,
  createLogger,
  createRedis,
  FeedFollower,
  IdentityVerifier,
  isMainModule,
  onShutdown,
  serve,
  serviceClient,
} from "#platform";
import { CatalogFeed } from "./catalog-feed.ts";
import { loadSearchConfig, type SearchConfig } from "./config.ts";
import { createSearchPool } from "./db-pool.ts";
import { IndexSync } from "./index-sync.ts";
import { IndexWriter, readPosition } from "./index-writer.ts";
import { Lexicon } from "./lexicon.ts";
import { InventoryPrices, noPrices } from "./price-lookup.ts";
import { Rebuilder } from "./rebuilder.ts";
import { ResultCache } from "./result-cache.ts";
import { SearchIndex } from "./search-index.ts";
import { SearchService } from "./search-service.ts";

export async function build(config: SearchConfig) {
  const logger = createLogger("search", config.LOG_LEVEL);
  const writePool = createSearchPool(config.DATABASE_URL, 4, 120_000);
  const readPool = config.DATABASE_READ_URL
    ? createSearchPool(config.DATABASE_READ_URL, config.DATABASE_POOL_MAX, 5_000)
    : createSearchPool(config.DATABASE_URL, config.DATABASE_POOL_MAX, 5_000);
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  const cache = new ResultCache(redis, config.SEARCH_CACHE_TTL_SECONDS, async () => {
    return (await readPosition(writePool)).indexVersion;
  });
  const prices = config.INVENTORY_SERVICE_ADDR
    ? new InventoryPrices(serviceClient(InventoryService, config.INVENTORY_SERVICE_ADDR))
    : noPrices;
  const index = new SearchIndex(readPool, new Lexicon(readPool), { maxResults: config.SEARCH_MAX_RESULTS });
  const service = new SearchService({ index, cache, prices, logger });

  let sync: IndexSync | undefined;
  let subscriber: ReturnType<typeof createRedis> | undefined;
  if (config.CATALOG_SERVICE_ADDR) {
    subscriber = createRedis(config.REDIS_URL);
    const feed = new CatalogFeed(
      serviceClient(CatalogService, config.CATALOG_SERVICE_ADDR),
      subscriber,
      catalogChangesChannel(config.REDIS_KEY_PREFIX),
    );
    const writer = new IndexWriter(writePool);
    const publish = async (version: bigint) => {
      await cache.publishVersion(version).catch(() => {});
    };
    sync = new IndexSync({
      writer,
      rebuilder: new Rebuilder(writePool, feed),
      follower: new FeedFollower(feed, writer, {
        pollMs: config.SEARCH_FEED_POLL_MS,
        logger,
        onApplied: (applied) => publish(applied.indexVersion),
      }),
      logger,
      autoRebuild: config.SEARCH_AUTO_REBUILD,
      onRebuilt: publish,
      // Readiness waits for a first index, so no replica answers "no results" while building it.
      onReady: () => server.health.setAll(true),
    });
  }

  const server = await serve({
    serviceNames: [SearchServiceDesc.typeName],
    port: config.PORT,
    host: config.HOST,
    logger,
    routes: (router) => router.service(SearchServiceDesc, service),
    identity: new IdentityVerifier(config.IDENTITY_PUBLIC_KEYS, "search"),
    drainMs: config.SEARCH_DRAIN_MS,
    startNotServing: sync !== undefined,
  });
  sync?.start();
  return {
    logger,
    url: server.url,
    port: server.port,
    async close() {
      await server.close();
      await sync?.stop();
      subscriber?.disconnect();
      redis.disconnect();
      await Promise.all([readPool.end(), writePool.end()]);
    },
  };
}

if (isMainModule(import.meta.url)) {
  const service = await build(loadSearchConfig());
  onShutdown(service.logger, () => service.close());
}
