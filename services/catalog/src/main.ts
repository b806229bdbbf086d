// PLACEHOLDER: the catalog service replaces this with its real wiring (same exported shape).
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { createLogger, isMainModule, onShutdown, serve } from "#platform";
import { type CatalogConfig, loadCatalogConfig } from "./config.ts";

export async function build(config: CatalogConfig) {
  const logger = createLogger("catalog", config.LOG_LEVEL);
  const server = await serve({
    serviceNames: [CatalogService.typeName],
    port: config.PORT,
    host: config.HOST,
    logger,
    routes: () => {},
  });
  return { logger, url: server.url, port: server.port, close: () => server.close() };
}

if (isMainModule(import.meta.url)) {
  const service = await build(loadCatalogConfig());
  onShutdown(service.logger, () => service.close());
}
