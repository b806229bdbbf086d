// Maps what stores and drivers throw to Connect codes, so a handler can let them bubble up and
// the caller still gets a precise status. The cause is logged; the message sent is generic.
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Error metadata key carrying a domain reason where a Connect code alone is too coarse for the
 * edge's HTTP mapping (a declined card is 402, a reused idempotency key is 422).
 */
export const reasonKey = "ticketing-reason";
export type Reason =
  | "PAYMENT_DECLINED"
  | "IDEMPOTENCY_KEY_REUSED"
  | "SEAT_TAKEN"
  | "HOLD_LOST"
  | "ADMISSION_REQUIRED";

/** A ConnectError with a domain reason attached. */
export function reasonError(message: string, code: Code, reason: Reason): ConnectError {
  return new ConnectError(message, code, { [reasonKey]: reason });
}

export function reasonOf(err: ConnectError): Reason | undefined {
  return (err.metadata.get(reasonKey) ?? undefined) as Reason | undefined;
}

/**
 * Metadata (a gRPC trailer) naming the tickets that made a request SEAT_TAKEN, when known, as JSON
 * of `TakenTickets`: each ticket's buyer or holder, or null when unknown. Inventory sets it; the
 * edge's refusal cache reads it (a shortcut, never consulted to sell), and the owner lets the edge
 * keep sending the owner's own requests — an idempotent retry of the winning booking — to inventory.
 */
export const takenTicketsKey = "x-taken-tickets";
export type TakenTickets = Record<string, string | null>;

const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "57P01",
  "57P03",
]);

const driverCode = (err: unknown): string | undefined => driverError(err)?.code;

/** The first error in the cause chain that carries a driver code. */
function driverError(err: unknown): { code: string; severity?: unknown } | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { code?: unknown; cause?: unknown; previous?: unknown };
  if (typeof e.code === "string") return e as { code: string };
  return driverError(e.cause) ?? driverError(e.previous);
}

/**
 * Whether a statement run outside an explicit transaction certainly did not commit: PostgreSQL
 * answered with an error (the statement was rolled back) or no connection was ever made. False
 * when the connection broke or the server was shutting down with the statement sent: then only
 * the data can tell.
 */
export function certainlyNotCommitted(err: unknown): boolean {
  const found = driverError(err);
  if (!found) return /timeout exceeded when trying to connect/i.test((err as Error | null)?.message ?? "");
  // A server error (it has a severity) outside the connection, shutdown and system classes.
  if (found.severity !== undefined) return !/^(08|57|58|XX)/.test(found.code);
  return found.code === "ECONNREFUSED" || found.code === "ENOTFOUND" || found.code === "EAI_AGAIN";
}

/** Returns the ConnectError a client should see for any thrown value. */
export function toConnectError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  const name = (err as { name?: string } | null)?.name ?? "";
  const message = (err as { message?: string } | null)?.message ?? "";
  const code = driverCode(err);
  if (name === "NotFoundError") return new ConnectError("not found", Code.NotFound);
  if (name === "OptimisticLockError") return new ConnectError("changed concurrently, retry", Code.Aborted);
  if (name === "UniqueConstraintViolationException" || code === "23505") {
    return new ConnectError("already exists", Code.AlreadyExists);
  }
  if (name === "ForeignKeyConstraintViolationException" || code === "23503") {
    return new ConnectError("refers to something that does not exist", Code.FailedPrecondition);
  }
  if (code === "22P02" || code === "22007" || code === "22008") {
    return new ConnectError("malformed value", Code.InvalidArgument);
  }
  if (
    name === "ConnectionException" ||
    name === "MaxRetriesPerRequestError" ||
    (code !== undefined && unavailableCodes.has(code)) ||
    /Connection is closed|Stream isn't writeable|connect ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect/i.test(
      message,
    )
  ) {
    return new ConnectError("a dependency is unavailable, try again shortly", Code.Unavailable);
  }
  return new ConnectError("internal error", Code.Internal);
}
