// REST booking routes: holds, bookings and my bookings. Bearer token required on all of them;
// the inventory service does the work and its Connect errors become HTTP statuses in one place.
import type { FastifyInstance, FastifyReply } from "fastify";
import {
  BookingStatus,
  BookTicketsRequestSchema,
  HoldTicketsRequestSchema,
} from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { asCaller } from "#platform";
import type { EdgeDeps } from "../deps.ts";
import { requireRestCaller, signedIn } from "../http/auth.ts";
import { seatTakenAnswer } from "../http/errors.ts";
import { intParam, onlyParams, pagingParams, uuidParam } from "../http/params.ts";
import { admissionTokenOf } from "../queue/admission-check.ts";
import { bookingJson, bookRequestOf, holdJson, holdRequestOf, inRestNames } from "./booking-json.ts";
import type { Refused } from "./seat-guard.ts";

type EventParams = { eventId?: string };

export function registerBookingRoutes(app: FastifyInstance, deps: EdgeDeps): void {
  // Seats inventory just refused are refused here for EDGE_SEAT_REFUSAL_MS (see seat-guard.ts:
  // it can only add false refusals for that window, never a sale).
  const { inventory, seats } = deps;

  /** POST /events/{eventId}/holds {"ticketIds"} → 201 {holdId, expiresAt, ticketIds}. */
  app.post<{ Params: EventParams }>("/events/:eventId/holds", signedIn, async (request, reply) => {
    const caller = requireRestCaller(request);
    const eventId = uuidParam(request.params.eventId, "eventId");
    const req = holdRequestOf(eventId, request.body);
    req.admissionToken = admissionTokenOf(request.headers["admission-token"]);
    await deps.admission.check(eventId, caller, req.admissionToken);
    const held = await seats.hold(req.ticketIds, caller.userId, () =>
      inventory.holdTickets(req, asCaller(caller)).catch(inRestNames(HoldTicketsRequestSchema)),
    );
    if (held.refused !== undefined) return refuse(reply, held.refused);
    return reply.code(201).header("cache-control", "no-store").send(holdJson(held.answer));
  });

  /** DELETE /holds/{holdId} → 204. */
  app.delete<{ Params: { holdId?: string } }>("/holds/:holdId", signedIn, async (request, reply) => {
    const caller = requireRestCaller(request);
    const holdId = uuidParam(request.params.holdId, "holdId");
    await seats.release(holdId, () => inventory.releaseHold({ holdId }, asCaller(caller)));
    return reply.code(204).header("cache-control", "no-store").send();
  });

  /**
   * POST /bookings/{eventId} → 201 {bookingId, status, ticketIds, totalCents, currency} when
   * CONFIRMED; 202 with `Location: /bookings/{id}` when the sale stands but is not yet confirmed
   * (PENDING: inventory's reconciler finishes it). An Idempotency-Key makes retries safe; without
   * one every request is a new attempt.
   */
  app.post<{ Params: EventParams }>("/bookings/:eventId", signedIn, async (request, reply) => {
    const caller = requireRestCaller(request);
    const eventId = uuidParam(request.params.eventId, "eventId");
    const req = bookRequestOf(eventId, request.headers["idempotency-key"], request.body);
    req.admissionToken = admissionTokenOf(request.headers["admission-token"]);
    const admitted = await deps.admission.checkBooking(
      eventId,
      caller,
      req.admissionToken,
      req.idempotencyKey,
    );
    const call = () =>
      inventory.bookTickets(req, asCaller(caller)).catch(inRestNames(BookTicketsRequestSchema));
    const booked = admitted ? await seats.book(req, caller.userId, call) : { answer: await call() };
    if (booked.refused !== undefined) return refuse(reply, booked.refused);
    const { booking } = booked.answer;
    if (!booking) throw new Error("inventory answered without a booking");
    deps.places.finished(eventId, caller, req.admissionToken);
    return reply
      .code(booking.status === BookingStatus.CONFIRMED ? 201 : 202)
      .header("location", `/bookings/${booking.id}`)
      .header("cache-control", "no-store")
      .send(bookingJson(booking));
  });

  /** GET /bookings/{bookingId}: the caller's own booking, else 404. */
  app.get<{ Params: { bookingId?: string } }>("/bookings/:bookingId", signedIn, async (request, reply) => {
    const caller = requireRestCaller(request);
    const bookingId = uuidParam(request.params.bookingId, "bookingId");
    const { booking } = await inventory.getBooking({ bookingId }, asCaller(caller));
    if (!booking) throw new Error("inventory answered without a booking");
    return reply.header("cache-control", "private, no-store").send(bookingJson(booking));
  });

  /** GET /me/bookings?page=&pageSize=: the caller's bookings, newest first. */
  app.get<{ Querystring: Record<string, unknown> }>("/me/bookings", signedIn, async (request, reply) => {
    const caller = requireRestCaller(request);
    onlyParams(request.query, pagingParams);
    const page = intParam(request.query.page, "page", 1, 1, 10_000);
    const pageSize = intParam(request.query.pageSize, "pageSize", 20, 1, 100);
    const res = await inventory.listMyBookings({ page, pageSize }, asCaller(caller));
    return reply
      .header("cache-control", "private, no-store")
      .send({ bookings: res.bookings.map(bookingJson) });
  });
}

/** A cached seat refusal: the same 409 body the error handler writes for inventory's SEAT_TAKEN. */
function refuse(reply: FastifyReply, refused: Refused): FastifyReply {
  const { status, body } = seatTakenAnswer(refused.message, [...refused.ticketIds]);
  return reply.code(status).header("cache-control", "no-store").send(body);
}
