// Maps what stores and drivers throw to Connect codes, so a handler can let them bubble up and
// the caller still gets a precise status. The cause is logged; the message sent is generic.
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorReasonSchema } from "#gen/platform/v1/errors_pb.js";

/** A typed detail to send with a ConnectError: a message schema and the message's fields. */
export type ErrorDetail = NonNullable<ConstructorParameters<typeof ConnectError>[3]>[number];

/**
 * A ConnectError with a machine-readable reason attached as a typed detail (`platform.v1.ErrorReason`),
 * for callers that need more than the Connect code. The reasons themselves are the raising
 * service's (UPPER_SNAKE_CASE); `details` are further typed details to send with it.
 */
export function reasonError(
  message: string,
  code: Code,
  reason: string,
  details: ErrorDetail[] = [],
): ConnectError {
  return new ConnectError(message, code, undefined, [
    { desc: ErrorReasonSchema, value: { reason } },
    ...details,
  ]);
}

/** The reason a `reasonError` carries, read back on the receiving side (`findDetails`). */
export function reasonOf(err: ConnectError): string | undefined {
  return err.findDetails(ErrorReasonSchema)[0]?.reason || undefined;
}

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
