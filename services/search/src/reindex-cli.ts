// `npm run search:reindex`: rebuilds the search index from the catalog's export, with progress on
// stderr. Searches keep being answered from the old index until the final swap.
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { createRedis, exitWithError, loadConfig, serviceClient } from "#platform";
import { CatalogFeed } from "./catalog-feed.ts";
import { searchSpec } from "./config.ts";
import { createSearchPool } from "./db-pool.ts";
import { Rebuilder } from "./rebuilder.ts";
import { ResultCache } from "./result-cache.ts";

if (process.argv.length > 2) {
  exitWithError(
    `search:reindex takes no arguments (got ${process.argv.slice(2).join(" ")}); it is configured by DATABASE_URL, REDIS_URL and CATALOG_SERVICE_ADDR`,
  );
}
const config = loadConfig(searchSpec);
const catalogUrl = config.CATALOG_SERVICE_ADDR ?? "http://127.0.0.1:50051";
const pool = createSearchPool(config.DATABASE_URL, 2, 0);
const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
const subscriber = createRedis(config.REDIS_URL, { lazyConnect: true });
const feed = new CatalogFeed(serviceClient(CatalogService, catalogUrl), subscriber, "");
const say = (line: string) => process.stderr.write(`${line}\n`);
let lastPrint = 0;

const rebuilder = new Rebuilder(pool, feed, {
  onProgress: ({ phase, documents, elapsedMs }) => {
    const now = performance.now();
    if (phase === "export" && now - lastPrint < 1000) return;
    lastPrint = now;
    const rate = documents / Math.max(elapsedMs / 1000, 0.001);
    say(
      `reindex: ${phase.padEnd(8)} ${documents.toLocaleString("en-US")} documents, ` +
        `${(elapsedMs / 1000).toFixed(1)} s (${Math.round(rate).toLocaleString("en-US")}/s)`,
    );
  },
});

try {
  say(`reindex: exporting from ${catalogUrl}`);
  const result = await rebuilder.rebuild();
  await new ResultCache(redis, 1, async () => result.indexVersion).publishVersion(result.indexVersion);
  say(
    `reindex: done — ${result.documents.toLocaleString("en-US")} documents, feed position ` +
      `${result.appliedSequence}, index version ${result.indexVersion}, ${(result.elapsedMs / 1000).toFixed(1)} s`,
  );
} catch (err) {
  exitWithError(`reindex failed: ${(err as Error).message}`);
} finally {
  redis.disconnect();
  subscriber.disconnect();
  await pool.end();
}
