import { randomUUID } from "node:crypto";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type {
  BookTicketsRequest,
  GetAvailabilityRequest,
  GetBookingRequest,
  GetPriceRangesRequest,
  HoldTicketsRequest,
  InventoryService,
  ListMyBookingsRequest,
  ListTicketsRequest,
  ProvisionTicketsRequest,
  ReleaseHoldRequest,
  SetWaitingRoomRequest,
} from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { type Logger, requireAdmin, requireCaller, within } from "#platform";
import type { AdmissionGate } from "../admission/admission-gate.ts";
import type { BookingRepository } from "../bookings/booking-repository.ts";
import type { BookingService } from "../bookings/booking-service.ts";
import type { Clock } from "../clock.ts";
import type { HeldIndex } from "../holds/held-index.ts";
import type { HoldService } from "../holds/hold-service.ts";
import type { Provisioner } from "../provisioning/provisioner.ts";
import type { TicketRepository } from "../tickets/ticket-repository.ts";
import { bookingToProto, sectionToProto, ticketToProto } from "./to-proto.ts";

export interface InventoryRpcDeps {
  tickets: TicketRepository;
  bookings: BookingRepository;
  index: HeldIndex;
  holds: HoldService;
  booking: BookingService;
  provisioner: Provisioner;
  admission: AdmissionGate;
  clock: Clock;
  logger: Logger;
}

/** The gRPC surface: identity from request metadata, work delegated to the domain services. */
export class InventoryRpc implements ServiceImpl<typeof InventoryService> {
  constructor(private readonly deps: InventoryRpcDeps) {}

  async getAvailability(req: GetAvailabilityRequest) {
    const { held } = await this.heldIds(req.eventId);
    const sections = await this.deps.tickets.availability(req.eventId, held);
    return { sections: sections.map(sectionToProto), currency: sections[0]?.currency ?? "" };
  }

  async listTickets(req: ListTicketsRequest) {
    // Holds (and the sequence) before the rows: a sale announced after that sequence is then either
    // already in the rows or still to come as a change, never lost between the two reads.
    const { held, sequence } = await this.heldIds(req.eventId);
    const rows = await this.deps.tickets.list(req.eventId, req.sectionId || undefined);
    const heldSet = new Set(held);
    return { tickets: rows.map((r) => ticketToProto(r, heldSet)), sequence };
  }

  async getPriceRanges(req: GetPriceRangesRequest) {
    const ranges = await this.deps.tickets.priceRanges(req.eventIds);
    const priced = new Set(ranges.map((r) => r.eventId));
    // Nothing available: sold out if the event has tickets at all.
    const soldOutEventIds = await this.deps.tickets.withTickets(req.eventIds.filter((id) => !priced.has(id)));
    return {
      soldOutEventIds,
      ranges: ranges.map((r) => ({
        eventId: r.eventId,
        minPriceCents: BigInt(r.min),
        maxPriceCents: BigInt(r.max),
        currency: r.currency,
      })),
    };
  }

  async holdTickets(req: HoldTicketsRequest, ctx: HandlerContext) {
    const caller = requireCaller(ctx);
    await this.deps.admission.check(req.eventId, caller, req.admissionToken);
    const hold = await this.deps.holds.hold(caller, req.eventId, req.ticketIds);
    return {
      holdId: hold.holdId,
      expiresAt: timestampFromDate(new Date(hold.expiresAt)),
      ticketIds: hold.ticketIds,
    };
  }

  async releaseHold(req: ReleaseHoldRequest, ctx: HandlerContext) {
    await this.deps.holds.release(requireCaller(ctx), req.holdId);
    return {};
  }

  async bookTickets(req: BookTicketsRequest, ctx: HandlerContext) {
    const caller = requireCaller(ctx);
    if (!req.payment) throw new ConnectError("payment is required", Code.InvalidArgument);
    const request = {
      caller,
      eventId: req.eventId,
      ticketIds: req.ticketIds,
      holdId: req.holdId || undefined,
      // No key: a new attempt, under a key nobody else can send again.
      idempotencyKey: req.idempotencyKey || randomUUID(),
      card: {
        number: req.payment.cardNumber,
        expMonth: req.payment.expMonth,
        expYear: req.payment.expYear,
        cvc: req.payment.cvc,
        name: req.payment.name,
      },
    };
    try {
      await this.deps.admission.check(req.eventId, caller, req.admissionToken);
    } catch (err) {
      // A retry of a booking made while the buyer was admitted gets its first answer even once the
      // shopping window (and so the token) has ended: the buyer paid. Nothing new is sold this way.
      const previous = req.idempotencyKey ? await this.deps.booking.replayOf(request) : undefined;
      if (!previous) throw err;
      return { booking: bookingToProto(previous) };
    }
    return { booking: bookingToProto(await this.deps.booking.book(request)) };
  }

  async getBooking(req: GetBookingRequest, ctx: HandlerContext) {
    const caller = requireCaller(ctx);
    const booking = await this.deps.bookings.findById(req.bookingId);
    // Another user's booking is indistinguishable from a missing one.
    if (!booking || booking.userId !== caller.userId) {
      throw new ConnectError(`no booking ${req.bookingId}`, Code.NotFound);
    }
    return { booking: bookingToProto(booking) };
  }

  async listMyBookings(req: ListMyBookingsRequest, ctx: HandlerContext) {
    const caller = requireCaller(ctx);
    const size = req.pageSize || 20;
    const page = req.page || 1;
    const rows = await this.deps.bookings.listForUser(caller.userId, size, (page - 1) * size);
    return { bookings: rows.map(bookingToProto) };
  }

  async provisionTickets(req: ProvisionTicketsRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    return this.deps.provisioner.provision({
      eventId: req.eventId,
      currency: req.currency,
      priceTiers: req.priceTiers.map((t) => ({ sectionId: t.sectionId, priceCents: Number(t.priceCents) })),
    });
  }

  async setWaitingRoom(req: SetWaitingRoomRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    await this.deps.admission.set(req.eventId, req.enabled);
    return {};
  }

  /** Live holds are display data: when Redis is away the seat map shows them as available. */
  private async heldIds(eventId: string): Promise<{ held: string[]; sequence: bigint }> {
    try {
      // A Redis that is down but not refusing must not stall the seat map either.
      return await within(this.deps.index.heldWithSequence(eventId, this.deps.clock.now()), 500, () => {
        throw new Error("timed out");
      });
    } catch (err) {
      this.deps.logger.warn(
        { err: (err as Error).message, eventId },
        "held seats unknown: Redis did not answer",
      );
      return { held: [], sequence: 0n };
    }
  }
}
