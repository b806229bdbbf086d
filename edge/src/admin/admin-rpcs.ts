// The admin writes, reachable through the edge: the edge checks the bearer token and the admin
// role, then forwards the call with the caller's identity in a token it signs for the service. Mounted as the services'
// own Connect paths (ticketing.catalog.v1.CatalogService, ticketing.inventory.v1.InventoryService)
// beside the public API, with only the admin RPCs implemented: the change feed, the export and
// the buyer-facing inventory RPCs stay internal (they answer Unimplemented here).
import type { ConnectRouter, HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { QueueService } from "#gen/ticketing/queue/v1/queue_pb.js";
import { asCaller, assertAdmin } from "#platform";
import type { EdgeDeps } from "../deps.ts";
import { requireConnectCaller } from "../http/auth.ts";

type CatalogAdminRpcs = Pick<
  ServiceImpl<typeof CatalogService>,
  | "createVenue"
  | "updateVenue"
  | "createPerformer"
  | "updatePerformer"
  | "createEvent"
  | "updateEvent"
  | "getVenue"
>;

type InventoryAdminRpcs = Pick<ServiceImpl<typeof InventoryService>, "provisionTickets">;

type QueueAdminRpcs = Pick<ServiceImpl<typeof QueueService>, "getQueueSettings" | "setQueueSettings">;

/** Call options for an admin's call; checked here too so a non-admin never reaches a service. */
function asAdmin(ctx: HandlerContext) {
  return asCaller(assertAdmin(requireConnectCaller(ctx)), ctx.signal);
}

function catalogAdminHandlers(deps: EdgeDeps): CatalogAdminRpcs {
  return {
    createVenue: (req, ctx) => deps.catalog.createVenue(req, asAdmin(ctx)),
    updateVenue: (req, ctx) => deps.catalog.updateVenue(req, asAdmin(ctx)),
    createPerformer: (req, ctx) => deps.catalog.createPerformer(req, asAdmin(ctx)),
    updatePerformer: (req, ctx) => deps.catalog.updatePerformer(req, asAdmin(ctx)),
    createEvent: (req, ctx) => deps.catalog.createEvent(req, asAdmin(ctx)),
    updateEvent: (req, ctx) => deps.catalog.updateEvent(req, asAdmin(ctx)),
    getVenue: (req, ctx) => deps.catalog.getVenue(req, { signal: ctx.signal }),
  };
}

/** Putting an event on sale: its tickets from the venue's seat map and the admin's prices. */
function inventoryAdminHandlers(deps: EdgeDeps): InventoryAdminRpcs {
  return {
    provisionTickets: (req, ctx) => deps.inventory.provisionTickets(req, asAdmin(ctx)),
  };
}

/** An event's waiting room: on or off, shoppers at once, admissions per minute, shopping window. */
function queueAdminHandlers(deps: EdgeDeps): QueueAdminRpcs {
  return {
    getQueueSettings: (req, ctx) => deps.queue.getQueueSettings(req, asAdmin(ctx)),
    // The queue passes the admin's token on to inventory (SetWaitingRoom): sign it for both.
    setQueueSettings: (req, ctx) =>
      deps.queue.setQueueSettings(
        req,
        asCaller(assertAdmin(requireConnectCaller(ctx)), ctx.signal, ["inventory"]),
      ),
  };
}

/** The admin services' RPCs that are open to anyone (the rest need an admin). */
export const openAdminRpcs = new Set([`${CatalogService.typeName}/GetVenue`]);

/** Adds the admin services to the edge's Connect router. */
export function routeAdminRpcs(router: ConnectRouter, deps: EdgeDeps): void {
  router.service(CatalogService, catalogAdminHandlers(deps));
  router.service(InventoryService, inventoryAdminHandlers(deps));
  router.service(QueueService, queueAdminHandlers(deps));
}
