// One event's seat map as an edge keeps it for its live streams: every ticket's status and the
// counts per section, loaded once from inventory and then moved by seat-channel changes. Changes
// set a status (never add or subtract blindly), so applying one that the loaded list already
// reflects changes nothing; SOLD is final.
import { create } from "@bufbuild/protobuf";
import { type SectionCounts, SectionCountsSchema } from "#gen/ticketing/api/v1/api_pb.js";
import { type Ticket, TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { type SeatChange, SeatChangeKind } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";

/** One seat whose status moved. */
export interface SeatMove {
  ticketId: string;
  sectionId: string;
  status: TicketStatus;
}

interface Section {
  counts: SectionCounts;
  /** In seat order, as inventory listed them. */
  tickets: Ticket[];
}

const target: Partial<Record<SeatChangeKind, TicketStatus>> = {
  [SeatChangeKind.HELD]: TicketStatus.HELD,
  [SeatChangeKind.RELEASED]: TicketStatus.AVAILABLE,
  [SeatChangeKind.EXPIRED]: TicketStatus.AVAILABLE,
  [SeatChangeKind.SOLD]: TicketStatus.SOLD,
};

export class SeatMapState {
  private readonly tickets = new Map<string, Ticket>();
  private readonly sections = new Map<string, Section>();

  /** `tickets` as ListTickets answers them (ordered by section, row and seat). */
  constructor(tickets: readonly Ticket[]) {
    for (const ticket of tickets) {
      this.tickets.set(ticket.id, ticket);
      let section = this.sections.get(ticket.sectionId);
      if (!section) {
        section = { counts: create(SectionCountsSchema, { sectionId: ticket.sectionId }), tickets: [] };
        this.sections.set(ticket.sectionId, section);
      }
      section.tickets.push(ticket);
      this.count(section.counts, ticket.status, 1);
    }
  }

  /**
   * Applies a change; returns the seats whose status moved, or undefined when it names a ticket
   * this state does not know (tickets provisioned since it was loaded: load again).
   */
  apply(change: SeatChange): SeatMove[] | undefined {
    const status = target[change.kind];
    if (status === undefined) return [];
    const moves: SeatMove[] = [];
    for (const id of change.ticketIds) {
      const ticket = this.tickets.get(id);
      if (!ticket) return undefined;
      if (ticket.status === status || ticket.status === TicketStatus.SOLD) continue;
      this.move(ticket, status);
      moves.push({ ticketId: id, sectionId: ticket.sectionId, status });
    }
    return moves;
  }

  /** What moves `this` to `next` (after a reload), applied to `this`. */
  diffTo(next: SeatMapState): SeatMove[] | undefined {
    if (next.tickets.size !== this.tickets.size) return undefined;
    const moves: SeatMove[] = [];
    for (const [id, fresh] of next.tickets) {
      const ticket = this.tickets.get(id);
      if (!ticket) return undefined;
      if (ticket.status === fresh.status) continue;
      this.move(ticket, fresh.status);
      moves.push({ ticketId: id, sectionId: ticket.sectionId, status: fresh.status });
    }
    return moves;
  }

  /** Counts of every section, or of the given ones. */
  counts(sectionIds?: Iterable<string>): SectionCounts[] {
    if (!sectionIds) return [...this.sections.values()].map((s) => ({ ...s.counts }));
    const out: SectionCounts[] = [];
    for (const id of sectionIds) {
      const section = this.sections.get(id);
      if (section) out.push({ ...section.counts });
    }
    return out;
  }

  /** Copies of a section's tickets with their current status (empty for a section without tickets). */
  seats(sectionId: string): Ticket[] {
    return (this.sections.get(sectionId)?.tickets ?? []).map((t) => ({ ...t }));
  }

  private move(ticket: Ticket, status: TicketStatus): void {
    const counts = this.sections.get(ticket.sectionId)?.counts;
    if (counts) {
      this.count(counts, ticket.status, -1);
      this.count(counts, status, 1);
    }
    ticket.status = status;
  }

  private count(counts: SectionCounts, status: TicketStatus, delta: number): void {
    if (status === TicketStatus.AVAILABLE) counts.available += delta;
    else if (status === TicketStatus.HELD) counts.held += delta;
    else if (status === TicketStatus.SOLD) counts.sold += delta;
  }
}
