// Every owner of tables, in the order migrations apply. Scripts may see all of them; services
// only ever see their own.
import type { DbModule } from "#platform";
import { identityDb } from "../edge/src/identity/db.ts";
import { catalogDb } from "../services/catalog/src/db.ts";
import { inventoryDb } from "../services/inventory/src/db.ts";
import { paymentsSandboxDb } from "../services/inventory/src/payments/sandbox/sandbox-db.ts";
import { queueDb } from "../services/queue/src/db.ts";
import { searchDb } from "../services/search/src/db.ts";

export const dbModules: Record<string, DbModule> = {
  identity: identityDb,
  catalog: catalogDb,
  inventory: inventoryDb,
  paymentsSandbox: paymentsSandboxDb,
  search: searchDb,
  queue: queueDb,
};
