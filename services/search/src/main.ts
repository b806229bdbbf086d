// PLACEHOLDER: the search service replaces this with its real wiring (same exported shape).
import { SearchService } from "#gen/ticketing/search/v1/search_pb.js";
import { createLogger, isMainModule, onShutdown, serve } from "#platform";
import { loadSearchConfig, type SearchConfig } from "./config.ts";

export async function build(config: SearchConfig) {
  const logger = createLogger("search", config.LOG_LEVEL);
  const server = await serve({
    serviceNames: [SearchService.typeName],
    port: config.PORT,
    host: config.HOST,
    logger,
    routes: () => {},
  });
  return { logger, url: server.url, port: server.port, close: () => server.close() };
}

if (isMainModule(import.meta.url)) {
  const service = await build(loadSearchConfig());
  onShutdown(service.logger, () => service.close());
}
