// REST requests of the booking routes (built as the proto requests and checked by the same
// protovalidate rules as the Connect API) and their response shapes.

import type { DescMessage } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  type Booking,
  BookingStatus,
  BookTicketsRequestSchema,
  type HoldTicketsRequest,
  HoldTicketsRequestSchema,
  type HoldTicketsResponse,
} from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { messageFromJson, renameViolations, validateMessage } from "#platform";
import { badRequest } from "../http/errors.ts";
import { protoJson } from "../http/json-body.ts";

/** REST names of the request fields that differ from their proto JSON names. */
const restNames = { payment: "paymentDetails", idempotencyKey: "Idempotency-Key" };

/**
 * For a call to inventory made for a REST route: the field violations it answers (a mistyped card)
 * named as REST names them, as `validateMessage` here names the edge's own.
 */
export const inRestNames =
  (schema: DescMessage) =>
  (err: unknown): never => {
    throw renameViolations(err, schema, restNames);
  };

/** POST /events/{eventId}/holds {"ticketIds"} as the proto request, checked by its rules. */
export function holdRequestOf(eventId: string, body: unknown): HoldTicketsRequest {
  const req = messageFromJson(
    HoldTicketsRequestSchema,
    protoJson(body, { ticketIds: "ticketIds" }),
    restNames,
  );
  req.eventId = eventId;
  validateMessage(HoldTicketsRequestSchema, req, restNames);
  req.ticketIds = req.ticketIds.map((id) => id.toLowerCase());
  return req;
}

/** POST /bookings/{eventId} {"ticketIds", "paymentDetails", "holdId"} as the proto request, checked by its rules. */
export function bookRequestOf(eventId: string, idempotencyKey: string | string[] | undefined, body: unknown) {
  const fields = { ticketIds: "ticketIds", paymentDetails: "payment", holdId: "holdId" };
  const req = messageFromJson(BookTicketsRequestSchema, protoJson(body, fields), restNames);
  if (Array.isArray(idempotencyKey)) throw badRequest("Idempotency-Key: must be given once");
  req.eventId = eventId;
  req.idempotencyKey = (idempotencyKey ?? "").trim();
  validateMessage(BookTicketsRequestSchema, req, restNames);
  req.ticketIds = req.ticketIds.map((id) => id.toLowerCase());
  req.holdId = req.holdId.toLowerCase();
  return req;
}

export function holdJson(h: HoldTicketsResponse) {
  return {
    holdId: h.holdId,
    expiresAt: h.expiresAt ? timestampDate(h.expiresAt).toISOString() : null,
    ticketIds: h.ticketIds,
  };
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
