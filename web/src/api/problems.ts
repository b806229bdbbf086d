// Turns what a call threw into what the buyer is told and what the page may do next. The edge's
// errors carry a Connect code and, where the code is too coarse, a domain reason in metadata.
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorReasonSchema } from "#gen/platform/v1/errors_pb.js";
import { TakenTicketsSchema } from "#gen/ticketing/inventory/v1/taken_tickets_pb.js";

export type ProblemKind =
  | "seat_taken"
  | "admission"
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
  /** For a taken seat: the tickets inventory named, when it could. */
  takenTicketIds?: string[];
}

/**
 * The domain reason of a refusal: a typed ErrorReason detail (it travels with errors the edge
 * relays from inventory), else inventory's own wording.
 */
function reasonOf(e: ConnectError): string {
  const detail = e.findDetails(ErrorReasonSchema)[0]?.reason;
  if (detail) return detail;
  if (e.code === Code.PermissionDenied && /admission|waiting room/i.test(e.rawMessage))
    return "ADMISSION_REQUIRED";
  if (e.code !== Code.FailedPrecondition) return "";
  if (/declined|insufficient funds/i.test(e.rawMessage)) return "PAYMENT_DECLINED";
  if (/hold .*(expired|does not cover)/i.test(e.rawMessage)) return "HOLD_LOST";
  if (/sold|held by someone|taken/i.test(e.rawMessage)) return "SEAT_TAKEN";
  return "";
}

export function problemOf(err: unknown): Problem {
  const e = ConnectError.from(err);
  const reason = reasonOf(e);
  const message = e.rawMessage;
  if (reason === "SEAT_TAKEN") {
    const takenTicketIds = e.findDetails(TakenTicketsSchema).flatMap((d) => d.tickets.map((t) => t.ticketId));
    return { kind: "seat_taken", message, retrySame: false, takenTicketIds };
  }
  if (reason === "PAYMENT_DECLINED") return { kind: "declined", message, retrySame: false };
  if (reason === "HOLD_LOST") return { kind: "hold_lost", message, retrySame: false };
  if (reason === "ADMISSION_REQUIRED") return { kind: "admission", message, retrySame: false };
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
    default:
      return { kind: "other", message: message || "Something went wrong.", retrySame: false };
  }
}
