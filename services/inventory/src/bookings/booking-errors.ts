import { Code, ConnectError } from "@connectrpc/connect";
import { reasonError } from "#platform";
import { seatTaken } from "../tickets/seat-errors.ts";
import type { BookingRow } from "./booking-repository.ts";

// A FAILED booking stores why as "<KIND>: <message>", so a retry with the same idempotency key
// gets the same answer as the first attempt.
export type FailureKind = "PAYMENT_DECLINED" | "SEAT_TAKEN" | "PAYMENT_UNAVAILABLE" | "INCOMPLETE";

export const failure = (kind: FailureKind, message: string) => `${kind}: ${message}`;

export const paymentDeclined = (message: string) =>
  reasonError(message, Code.FailedPrecondition, "PAYMENT_DECLINED");

export const paymentUnavailable = () =>
  new ConnectError(
    "the payment provider did not answer in time; you have not been charged, try again",
    Code.Unavailable,
  );

export const keyReused = () =>
  reasonError(
    "this Idempotency-Key was already used for a different booking request",
    Code.InvalidArgument,
    "IDEMPOTENCY_KEY_REUSED",
  );

export const stillInProgress = () =>
  new ConnectError(
    "a booking with this Idempotency-Key is still in progress; check again shortly",
    Code.Aborted,
  );

/** The error the first attempt answered, for a replayed FAILED booking. */
export function replayedFailure(booking: BookingRow): ConnectError {
  const [kind, ...rest] = (booking.failureReason ?? "INCOMPLETE: failed").split(": ");
  const message = rest.join(": ");
  if (kind === "PAYMENT_DECLINED") return paymentDeclined(message);
  if (kind === "SEAT_TAKEN") return seatTaken(message);
  // A transient failure is final for this key: answering 503 again would invite endless retries.
  return new ConnectError(
    `the booking attempt with this Idempotency-Key failed (${message}); you were not charged — retry with a new key`,
    Code.Aborted,
  );
}
