import type { ServiceImpl } from "@connectrpc/connect";
import { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { openAdminRpcs } from "./admin/admin-rpcs.ts";
import { availabilityHandlers } from "./availability/availability-handlers.ts";
import { bookingHandlers, bookingRpcNames } from "./booking/booking-handlers.ts";
import type { EdgeDeps } from "./deps.ts";
import { loginHandlers } from "./identity/login-handlers.ts";
import { queueHandlers, queueRpcNames } from "./queue/queue-handlers.ts";
import { searchHandlers } from "./search/search-handlers.ts";
import { viewHandlers } from "./view/view-handlers.ts";

/** The public Connect API: each area implements its own RPCs over the same dependencies. */
export function ticketingService(deps: EdgeDeps): ServiceImpl<typeof TicketingService> {
  return {
    ...loginHandlers(deps),
    ...viewHandlers(deps),
    ...searchHandlers(deps),
    ...bookingHandlers(deps),
    ...queueHandlers(deps),
    ...availabilityHandlers(deps),
  };
}

/** RPCs refused without a caller before validation: the booking and queue RPCs and the admin services'. */
export function needsCaller(service: string, method: string): boolean {
  if (service === TicketingService.typeName) return bookingRpcNames.has(method) || queueRpcNames.has(method);
  return !openAdminRpcs.has(`${service}/${method}`);
}
