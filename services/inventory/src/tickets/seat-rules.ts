// What makes a set of tickets holdable or bookable together, shared by holds and bookings.
import { Code, ConnectError } from "@connectrpc/connect";
import { seatTaken } from "./seat-errors.ts";
import type { TicketRow } from "./ticket-repository.ts";

/**
 * The per-order cap: configuration (MAX_TICKETS_PER_ORDER, at most the proto's 8), so the proto's
 * rules cannot hold it. That the list is non-empty, distinct and of UUIDs the validator checks.
 */
export function checkRequest(ticketIds: readonly string[], maxTickets: number): void {
  if (ticketIds.length > maxTickets) {
    throw new ConnectError(
      `ticketIds: must contain no more than ${maxTickets} item(s)`,
      Code.InvalidArgument,
    );
  }
}

/** The rows read for the request: all exist for this event (else NotFound), none sold (else SEAT_TAKEN). */
export function checkRows(eventId: string, ticketIds: readonly string[], rows: TicketRow[]): TicketRow[] {
  if (rows.length !== ticketIds.length) {
    const found = new Set(rows.map((r) => r.id));
    const missing = ticketIds.filter((id) => !found.has(id));
    throw new ConnectError(`no ticket ${missing.join(", ")} for event ${eventId}`, Code.NotFound);
  }
  const sold = rows.filter((r) => r.status === "SOLD");
  if (sold.length > 0) {
    const taken = Object.fromEntries(sold.map((r) => [r.id, r.owner ?? null]));
    throw seatTaken("one of these seats is already sold", taken);
  }
  return rows;
}

/**
 * Why tickets the booking statement refused to open a booking for are not bookable together. The
 * rule itself — all exist, all AVAILABLE, one currency — is decided by that statement
 * (`BookingRepository.open`); this only names the first part that failed, or returns nothing when
 * the tickets were bookable (then the refusal was something else, like the same key racing).
 */
export function whyNotBookable(eventId: string, ticketIds: readonly string[], rows: TicketRow[]): void {
  checkRows(eventId, ticketIds, rows);
  if (new Set(rows.map((r) => r.currency)).size > 1) {
    throw new ConnectError(
      "tickets priced in different currencies cannot be booked together",
      Code.InvalidArgument,
    );
  }
}
