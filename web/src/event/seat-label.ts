import type { Section } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { Ticket } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";

/**
 * Most tickets one order may have: HoldTicketsRequest and BookTicketsRequest allow at most 8
 * (their protovalidate max_items), which is also inventory's MAX_TICKETS_PER_ORDER default.
 */
export const maxPerOrder = 8;

export type SeatState = "available" | "held" | "sold" | "yours";

export function seatState(ticket: Ticket, mine: Set<string>): SeatState {
  if (mine.has(ticket.id) && ticket.status === TicketStatus.HELD) return "yours";
  if (ticket.status === TicketStatus.AVAILABLE) return "available";
  if (ticket.status === TicketStatus.HELD) return "held";
  return "sold";
}

export const stateText: Record<SeatState, string> = {
  available: "available",
  held: "held by another buyer",
  sold: "sold",
  yours: "held by you",
};

/** "Section 101, row C, seat 12" or "Floor, general admission". */
export function seatLabel(section: Pick<Section, "name" | "kind"> | undefined, ticket: Ticket): string {
  const name = section?.name ?? "Section";
  if (section?.kind === SectionKind.GENERAL_ADMISSION) return `${name}, general admission`;
  return `Section ${name}, row ${ticket.row}, seat ${ticket.seat}`;
}
