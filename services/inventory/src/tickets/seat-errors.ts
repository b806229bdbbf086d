// Errors about seats, raised by holds and bookings alike (so neither folder imports the other).
import { Code } from "@connectrpc/connect";
import { reasonError, type TakenTickets, takenTicketsKey } from "#platform";

export const seatTaken = (
  message = "one of these seats was just sold to someone else",
  taken: TakenTickets = {},
) => {
  const err = reasonError(message, Code.FailedPrecondition, "SEAT_TAKEN");
  if (Object.keys(taken).length > 0) err.metadata.set(takenTicketsKey, JSON.stringify(taken));
  return err;
};

export const holdLost = () =>
  reasonError(
    "your hold on these seats has expired or does not cover them; hold them again",
    Code.FailedPrecondition,
    "HOLD_LOST",
  );
