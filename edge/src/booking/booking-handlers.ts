// Booking RPCs of the public Connect API: the caller comes from the bearer token (verified by the
// edge) and travels to the inventory service in an identity token the edge signs for it. Holds
// and bookings pass the same seat guard as the REST routes.
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { asCaller } from "#platform";
import type { EdgeDeps } from "../deps.ts";
import { requireConnectCaller } from "../http/auth.ts";
import { answerOf } from "./seat-guard.ts";

/** The booking RPCs: every one needs a signed-in caller. */
export const bookingRpcNames = new Set([
  "HoldTickets",
  "ReleaseHold",
  "BookTickets",
  "GetBooking",
  "ListMyBookings",
]);

type BookingRpcs = Pick<
  ServiceImpl<typeof TicketingService>,
  "holdTickets" | "releaseHold" | "bookTickets" | "getBooking" | "listMyBookings"
>;

export function bookingHandlers(deps: EdgeDeps): BookingRpcs {
  const { inventory, seats } = deps;
  const as = (ctx: HandlerContext) => asCaller(requireConnectCaller(ctx), ctx.signal);
  return {
    holdTickets: async (req, ctx) => {
      const caller = requireConnectCaller(ctx);
      await deps.admission.check(req.eventId, caller, req.admissionToken);
      return answerOf(
        await seats.hold(req.ticketIds, caller.userId, () =>
          inventory.holdTickets(req, asCaller(caller, ctx.signal)),
        ),
      );
    },
    releaseHold: (req, ctx) => seats.release(req.holdId, () => inventory.releaseHold(req, as(ctx))),
    bookTickets: async (req, ctx) => {
      const caller = requireConnectCaller(ctx);
      const admitted = await deps.admission.checkBooking(
        req.eventId,
        caller,
        req.admissionToken,
        req.idempotencyKey,
      );
      const call = () => inventory.bookTickets(req, as(ctx));
      const booked = admitted ? answerOf(await seats.book(req, caller.userId, call)) : await call();
      deps.places.finished(req.eventId, caller, req.admissionToken);
      return booked;
    },
    getBooking: (req, ctx) => inventory.getBooking(req, as(ctx)),
    listMyBookings: (req, ctx) => inventory.listMyBookings(req, as(ctx)),
  };
}
