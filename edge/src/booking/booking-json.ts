// REST request parsing and response shapes of the booking routes.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { type Booking, BookingStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { badRequest } from "../http/errors.ts";
import { optionalUuidParam, uuidParam } from "../http/params.ts";

export function ticketIdsOf(body: unknown): string[] {
  const ids = (body as { ticketIds?: unknown } | null)?.ticketIds;
  if (!Array.isArray(ids) || ids.length === 0)
    throw badRequest("ticketIds must be a non-empty array of ticket ids");
  return ids.map((id, i) => uuidParam(id, `ticketIds[${i}]`));
}

export function bookingBodyOf(body: unknown) {
  const b = (body ?? {}) as { paymentDetails?: unknown; holdId?: unknown };
  const p = b.paymentDetails as Record<string, unknown> | undefined;
  if (typeof p !== "object" || p === null) throw badRequest("paymentDetails is required");
  const text = (name: string) => {
    const v = p[name];
    if (typeof v !== "string") throw badRequest(`paymentDetails.${name} must be a string`);
    return v;
  };
  const int = (name: string) => {
    const v = typeof p[name] === "string" && /^\d+$/.test(p[name] as string) ? Number(p[name]) : p[name];
    if (typeof v !== "number" || !Number.isInteger(v))
      throw badRequest(`paymentDetails.${name} must be an integer`);
    return v;
  };
  return {
    ticketIds: ticketIdsOf(body),
    holdId: optionalUuidParam(b.holdId, "holdId") ?? "",
    payment: {
      cardNumber: text("cardNumber"),
      expMonth: int("expMonth"),
      expYear: int("expYear"),
      cvc: text("cvc"),
      name: text("name"),
    },
  };
}

/** Idempotency-Key is required: a key made up here could not make the client's retry a retry. */
export function idempotencyKeyOf(header: string | string[] | undefined): string {
  if (typeof header !== "string" || header.trim() === "") {
    throw badRequest(
      "the Idempotency-Key header is required (any unique string per booking attempt, e.g. a UUID)",
    );
  }
  if (header.length > 200) throw badRequest("Idempotency-Key must be at most 200 characters");
  return header.trim();
}

export function bookingJson(b: Booking) {
  return {
    bookingId: b.id,
    eventId: b.eventId,
    status: BookingStatus[b.status],
    ticketIds: b.ticketIds,
    totalCents: Number(b.totalCents),
    currency: b.currency,
    cardBrand: b.cardBrand,
    cardLast4: b.cardLast4,
    createdAt: b.createdAt ? timestampDate(b.createdAt).toISOString() : null,
    updatedAt: b.updatedAt ? timestampDate(b.updatedAt).toISOString() : null,
  };
}
