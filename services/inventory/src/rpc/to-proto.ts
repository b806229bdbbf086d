import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type Booking,
  BookingSchema,
  BookingStatus,
  type SectionAvailability,
  SectionAvailabilitySchema,
  type Ticket,
  TicketSchema,
  TicketStatus,
} from "#gen/ticketing/inventory/v1/inventory_pb.js";
import type { BookingRow } from "../bookings/booking-repository.ts";
import type { SectionCounts, TicketRow } from "../tickets/ticket-repository.ts";

export function ticketToProto(row: TicketRow, held: ReadonlySet<string>): Ticket {
  const status =
    row.status === "SOLD" ? TicketStatus.SOLD : held.has(row.id) ? TicketStatus.HELD : TicketStatus.AVAILABLE;
  return create(TicketSchema, {
    id: row.id,
    eventId: row.eventId,
    sectionId: row.sectionId,
    row: row.rowLabel,
    seat: row.seat,
    priceCents: BigInt(row.priceCents),
    currency: row.currency,
    status,
  });
}

export function sectionToProto(s: SectionCounts): SectionAvailability {
  return create(SectionAvailabilitySchema, {
    sectionId: s.sectionId,
    available: s.available,
    held: s.held,
    sold: s.sold,
    minPriceCents: BigInt(s.minPriceCents),
    maxPriceCents: BigInt(s.maxPriceCents),
  });
}

const bookingStatus = {
  PENDING: BookingStatus.PENDING,
  CONFIRMED: BookingStatus.CONFIRMED,
  FAILED: BookingStatus.FAILED,
  NEEDS_REVIEW: BookingStatus.NEEDS_REVIEW,
} as const;

export function bookingToProto(b: BookingRow): Booking {
  return create(BookingSchema, {
    id: b.id,
    userId: b.userId,
    eventId: b.eventId,
    ticketIds: b.ticketIds,
    totalCents: BigInt(b.totalCents),
    currency: b.currency,
    status: bookingStatus[b.status],
    cardBrand: b.cardBrand,
    cardLast4: b.cardLast4,
    createdAt: timestampFromDate(b.createdAt),
    updatedAt: timestampFromDate(b.updatedAt),
  });
}
