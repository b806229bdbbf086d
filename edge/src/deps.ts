import type { Client } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import type { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import type { SearchService } from "#gen/ticketing/search/v1/search_pb.js";
import type { Logger } from "#platform";
import type { EdgeConfig } from "./config.ts";
import type { TokenService } from "./identity/tokens.ts";
import type { UserDirectory } from "./identity/users.ts";

/** Everything the edge's routes and handlers use, passed in so tests can build the edge directly. */
export interface EdgeDeps {
  config: EdgeConfig;
  logger: Logger;
  catalog: Client<typeof CatalogService>;
  search: Client<typeof SearchService>;
  inventory: Client<typeof InventoryService>;
  redis: Redis;
  tokens: TokenService;
  /** Present only when AUTH_MODE=local. */
  users?: UserDirectory;
}
