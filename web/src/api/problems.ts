// Turns what a call threw into what the buyer is told and what the page may do next. The edge's
// errors carry a Connect code and, where the code is too coarse, a domain reason in metadata.
import { Code, ConnectError } from "@connectrpc/connect";

export type ProblemKind =
  | "seat_taken"
  | "declined"
  | "hold_lost"
  | "busy"
  | "signed_out"
  | "forbidden"
  | "invalid"
  | "not_found"
  | "other";

export interface Problem {
  kind: ProblemKind;
  message: string;
  /** True when the same request (same Idempotency-Key) may simply be sent again. */
  retrySame: boolean;
}

const reasonHeader = "ticketing-reason";

export function problemOf(err: unknown): Problem {
  const e = ConnectError.from(err);
  const reason = e.metadata.get(reasonHeader) ?? "";
  const message = e.rawMessage;
  if (reason === "SEAT_TAKEN") return { kind: "seat_taken", message, retrySame: false };
  if (reason === "PAYMENT_DECLINED") return { kind: "declined", message, retrySame: false };
  if (reason === "HOLD_LOST") return { kind: "hold_lost", message, retrySame: false };
  switch (e.code) {
    case Code.Unavailable:
    case Code.ResourceExhausted:
    case Code.DeadlineExceeded:
    case Code.Unknown:
      return {
        kind: "busy",
        message: "The service is busy right now. Nothing was charged; please try again in a moment.",
        retrySame: true,
      };
    case Code.Unauthenticated:
      return { kind: "signed_out", message: "Please sign in again.", retrySame: false };
    case Code.PermissionDenied:
      return { kind: "forbidden", message, retrySame: false };
    case Code.InvalidArgument:
    case Code.OutOfRange:
      return { kind: "invalid", message, retrySame: false };
    case Code.NotFound:
      return { kind: "not_found", message, retrySame: false };
    case Code.AlreadyExists:
    case Code.FailedPrecondition:
      // A taken seat whose reason did not travel (an older edge): the message still says so.
      if (/sold|held|taken/i.test(message)) return { kind: "seat_taken", message, retrySame: false };
      return { kind: "other", message, retrySame: false };
    default:
      return { kind: "other", message: message || "Something went wrong.", retrySame: false };
  }
}
