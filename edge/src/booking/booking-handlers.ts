// Booking RPCs of the public Connect API: the caller comes from the bearer token (verified by the
// edge) and travels to the inventory service as x-user-id / x-user-role metadata.
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { callerHeaders } from "#platform";
import { throughRefusals } from "../cache/seat-refusals.ts";
import type { EdgeDeps } from "../deps.ts";
import { requireConnectCaller } from "../http/auth.ts";

type BookingRpcs = Pick<
  ServiceImpl<typeof TicketingService>,
  "holdTickets" | "releaseHold" | "bookTickets" | "getBooking" | "listMyBookings"
>;

export function bookingHandlers(deps: EdgeDeps): BookingRpcs {
  const as = (ctx: HandlerContext) => ({
    headers: callerHeaders(requireConnectCaller(ctx)),
    signal: ctx.signal,
  });
  const { refusals } = deps;
  return {
    holdTickets: (req, ctx) =>
      throughRefusals(
        refusals,
        req.ticketIds,
        { userId: requireConnectCaller(ctx).userId, booking: false },
        () => deps.inventory.holdTickets(req, as(ctx)),
      ),
    releaseHold: (req, ctx) => deps.inventory.releaseHold(req, as(ctx)),
    bookTickets: (req, ctx) =>
      req.holdId
        ? deps.inventory.bookTickets(req, as(ctx))
        : throughRefusals(
            refusals,
            req.ticketIds,
            { userId: requireConnectCaller(ctx).userId, booking: true },
            () => deps.inventory.bookTickets(req, as(ctx)),
          ),
    getBooking: (req, ctx) => deps.inventory.getBooking(req, as(ctx)),
    listMyBookings: (req, ctx) => deps.inventory.listMyBookings(req, as(ctx)),
  };
}
