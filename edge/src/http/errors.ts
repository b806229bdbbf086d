// Connect codes → HTTP statuses and the `{code, message}` body of every REST error.
import { Code, ConnectError } from "@connectrpc/connect";
import type { FastifyReply } from "fastify";
import { TakenTicketsSchema } from "#gen/ticketing/inventory/v1/taken_tickets_pb.js";
import { reasonOf, toConnectError } from "#platform";

const statusByCode: Partial<Record<Code, number>> = {
  [Code.InvalidArgument]: 400,
  [Code.OutOfRange]: 400,
  [Code.Unauthenticated]: 401,
  [Code.PermissionDenied]: 403,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.Aborted]: 409,
  [Code.FailedPrecondition]: 409,
  [Code.ResourceExhausted]: 429,
  [Code.Unavailable]: 503,
  [Code.DeadlineExceeded]: 503,
  [Code.Unimplemented]: 501,
};

const statusByReason: Record<string, number> = {
  PAYMENT_DECLINED: 402,
  IDEMPOTENCY_KEY_REUSED: 422,
};

export interface ErrorBody {
  code: string;
  message: string;
  /** On 409 seat_taken: the requested tickets known to be taken (may be fewer than requested). */
  takenTicketIds?: string[];
}

/** HTTP status and body for any error thrown while serving a REST route. */
export function httpError(err: unknown): { status: number; body: ErrorBody } {
  const ce = toConnectError(err);
  const reason = reasonOf(ce);
  const status = (reason && statusByReason[reason]) || statusByCode[ce.code] || 500;
  const code = reason
    ? reason.toLowerCase()
    : (Code[ce.code] ?? "unknown").replace(/[A-Z]/g, (c, i) => (i ? "_" : "") + c.toLowerCase());
  if (reason === "SEAT_TAKEN") {
    const taken = ce.findDetails(TakenTicketsSchema).flatMap((d) => d.tickets.map((t) => t.ticketId));
    return seatTakenAnswer(ce.rawMessage, taken);
  }
  return { status, body: { code, message: ce.rawMessage } };
}

/**
 * The body of a 409 seat_taken, whether inventory said it or the edge's refusal cache does: the
 * cache answers without building a ConnectError (an Error, with its stack) per refused request —
 * on the hot-seat benchmark that was an eighth of the edge's CPU.
 */
export function seatTakenAnswer(
  message: string,
  takenTicketIds: string[],
): { status: number; body: ErrorBody } {
  return { status: 409, body: { code: "seat_taken", message, takenTicketIds } };
}

export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, body } = httpError(err);
  return reply.code(status).header("cache-control", "no-store").send(body);
}

/** A 400 for malformed REST input, thrown by route parsers. */
export function badRequest(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}
