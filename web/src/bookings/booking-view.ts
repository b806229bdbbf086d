// A booking as My bookings shows it: the booking, its event and venue, and its seats by name.
// Seats are named from what this browser remembered at checkout, else looked up in the event's
// tickets (inline for small venues, per section for large ones, until every id is found).
import type { GetEventPageResponse } from "#gen/ticketing/api/v1/api_pb.js";
import type { Booking } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { api } from "../api/client.ts";
import { bookingSeats } from "../checkout/checkout-store.ts";
import { seatLabel } from "../event/seat-label.ts";

export interface BookingView {
  booking: Booking;
  page: GetEventPageResponse | undefined;
  seats: string[];
}

export async function eventPageOf(eventId: string, signal?: AbortSignal) {
  return api.getEventPage({ eventId }, { signal }).catch(() => undefined);
}

export async function bookingView(bookingId: string, signal: AbortSignal): Promise<BookingView> {
  const { booking } = await api.getBooking({ bookingId }, { signal });
  if (!booking) throw new Error("no booking");
  const page = await eventPageOf(booking.eventId, signal);
  const remembered = bookingSeats.load(booking.id);
  if (remembered) return { booking, page, seats: remembered.map((s) => s.label) };
  const wanted = new Set(booking.ticketIds);
  const found = new Map<string, string>();
  const sections = page?.venue?.sections ?? [];
  const name = (sectionId: string) => sections.find((s) => s.id === sectionId);
  for (const t of page?.tickets ?? []) if (wanted.has(t.id)) found.set(t.id, seatLabel(name(t.sectionId), t));
  for (const section of sections) {
    if (found.size === wanted.size) break;
    const { tickets } = await api.listSectionTickets(
      { eventId: booking.eventId, sectionId: section.id },
      { signal },
    );
    for (const t of tickets) if (wanted.has(t.id)) found.set(t.id, seatLabel(section, t));
  }
  return { booking, page, seats: booking.ticketIds.map((id) => found.get(id) ?? "Seat") };
}
