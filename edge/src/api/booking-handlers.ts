import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import type { EdgeDeps } from "../deps.ts";

type BookingRpcs = Pick<
  ServiceImpl<typeof TicketingService>,
  "holdTickets" | "releaseHold" | "bookTickets" | "getBooking" | "listMyBookings"
>;

export function bookingHandlers(_deps: EdgeDeps): BookingRpcs {
  const todo = () => {
    throw new ConnectError("not implemented yet", Code.Unimplemented);
  };
  return { holdTickets: todo, releaseHold: todo, bookTickets: todo, getBooking: todo, listMyBookings: todo };
}
