import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { publicCacheControl } from "../cache/cached-body.ts";
import type { EdgeDeps } from "../deps.ts";

type ViewRpcs = Pick<
  ServiceImpl<typeof TicketingService>,
  "getEventPage" | "listSectionTickets" | "listEvents"
>;

/** The view RPCs of the public API; served as cacheable GETs, from the same micro-cache as REST. */
export function viewHandlers(deps: EdgeDeps): ViewRpcs {
  const loader = deps.views;
  const cacheControl = publicCacheControl(loader.maxAgeMs);
  const cacheable = (ctx: HandlerContext, degraded: boolean) =>
    ctx.responseHeader.set("cache-control", degraded ? "no-cache" : cacheControl);
  return {
    async getEventPage(req, ctx) {
      const { message, degraded } = await loader.pageMessage(req.eventId.toLowerCase());
      cacheable(ctx, degraded);
      return message;
    },
    async listSectionTickets(req, ctx) {
      const { message } = await loader.tickets(req.eventId.toLowerCase(), req.sectionId.toLowerCase());
      cacheable(ctx, false);
      return message;
    },
    async listEvents(req, ctx) {
      const { message } = await loader.list(req.page || 1, req.pageSize || 20);
      cacheable(ctx, false);
      return message;
    },
  };
}
