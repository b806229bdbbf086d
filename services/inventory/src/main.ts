// PLACEHOLDER: the inventory service replaces this with its real wiring (same exported shape).
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { createLogger, isMainModule, onShutdown, serve } from "#platform";
import { type InventoryConfig, loadInventoryConfig } from "./config.ts";

export async function build(config: InventoryConfig) {
  const logger = createLogger("inventory", config.LOG_LEVEL);
  const server = await serve({
    serviceNames: [InventoryService.typeName],
    port: config.PORT,
    host: config.HOST,
    logger,
    routes: () => {},
  });
  return { logger, url: server.url, port: server.port, close: () => server.close() };
}

if (isMainModule(import.meta.url)) {
  const service = await build(loadInventoryConfig());
  onShutdown(service.logger, () => service.close());
}
