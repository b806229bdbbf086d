// Errors about seats, raised by holds and bookings alike (so neither folder imports the other).
import { Code } from "@connectrpc/connect";
import { TakenTicketsSchema } from "#gen/ticketing/inventory/v1/taken_tickets_pb.js";
import { reasonError } from "#platform";

/** Who has each refused ticket: its buyer or lease holder, or null when unknown. */
export type Taken = Record<string, string | null>;

/** SEAT_TAKEN, naming the taken tickets (a `TakenTickets` detail) when they are known. */
export const seatTaken = (
  message = "one of these seats was just sold to someone else",
  taken: Taken = {},
) => {
  const tickets = Object.entries(taken).map(([ticketId, owner]) => ({ ticketId, owner: owner ?? "" }));
  const details = tickets.length > 0 ? [{ desc: TakenTicketsSchema, value: { tickets } }] : [];
  return reasonError(message, Code.FailedPrecondition, "SEAT_TAKEN", details);
};

/** The caller asked for seats they already hold: name the holds, so they book with one. */
export const alreadyHeld = (holdIds: readonly string[]) =>
  reasonError(
    `you already hold these seats (hold ${holdIds.join(", ")}): book them with that hold, or release it first`,
    Code.FailedPrecondition,
    "ALREADY_HELD",
  );

export const holdLost = () =>
  reasonError(
    "your hold on these seats has expired or does not cover them; hold them again",
    Code.FailedPrecondition,
    "HOLD_LOST",
  );
