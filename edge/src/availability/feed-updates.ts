// What a feed sends its watchers: a snapshot, a batch of changes, a heartbeat. Each is built once
// per feed and encoded once per variant (whole event, or one section) and surface (a Connect
// message, an SSE frame), however many streams receive it: at an onsale thousands of open seat
// maps get the same bytes.
import { create } from "@bufbuild/protobuf";
import {
  type SeatStatusChange,
  type SectionCounts,
  type WatchAvailabilityResponse,
  WatchAvailabilityResponseSchema,
} from "#gen/ticketing/api/v1/api_pb.js";
import { type Ticket, TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { ticketJson } from "../view/view-json.ts";
import type { SeatMove } from "./seat-map-state.ts";

/** Whole event: no section. */
const eventWide = "";

function sectionJson(c: SectionCounts) {
  return { sectionId: c.sectionId, available: c.available, held: c.held, sold: c.sold };
}

/** An SSE frame; `id` is what the browser sends back as Last-Event-ID when it reconnects. */
function frame(event: string, sequence: bigint, data: unknown): string {
  return `id: ${sequence}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export abstract class Update {
  private readonly messages = new Map<string, WatchAvailabilityResponse>();
  private readonly frames = new Map<string, string>();

  constructor(readonly sequence: bigint) {}

  message(sectionId = eventWide): WatchAvailabilityResponse {
    let m = this.messages.get(sectionId);
    if (!m) {
      m = this.build(sectionId);
      this.messages.set(sectionId, m);
    }
    return m;
  }

  sse(sectionId = eventWide): string {
    let f = this.frames.get(sectionId);
    if (f === undefined) {
      f = this.frame(sectionId);
      this.frames.set(sectionId, f);
    }
    return f;
  }

  protected abstract build(sectionId: string): WatchAvailabilityResponse;
  protected abstract frame(sectionId: string): string;
}

/** The whole state as of `sequence` (it may already include some later changes: all are idempotent). */
export class Snapshot extends Update {
  constructor(
    readonly eventId: string,
    sequence: bigint,
    private readonly sections: SectionCounts[],
    private readonly seatsOf: (sectionId: string) => Ticket[],
  ) {
    super(sequence);
  }

  protected build(sectionId: string) {
    return create(WatchAvailabilityResponseSchema, {
      sequence: this.sequence,
      update: {
        case: "snapshot",
        value: { sections: this.sections, seats: sectionId ? this.seatsOf(sectionId) : [] },
      },
    });
  }

  protected frame(sectionId: string) {
    return frame("snapshot", this.sequence, {
      eventId: this.eventId,
      sequence: Number(this.sequence),
      sections: this.sections.map(sectionJson),
      ...(sectionId ? { sectionId, seats: this.seatsOf(sectionId).map(ticketJson) } : {}),
    });
  }
}

/** The changes of one coalescing window: sequence numbers (from, to]. */
export class Changes extends Update {
  private readonly seats = new Map<string, SeatStatusChange[]>();
  /** Nothing visible moved (the changes were already reflected): kept for the ring, not sent. */
  readonly empty: boolean;

  constructor(
    readonly from: bigint,
    to: bigint,
    private readonly sections: SectionCounts[],
    moves: Iterable<SeatMove>,
  ) {
    super(to);
    this.empty = sections.length === 0;
    for (const move of moves) {
      let list = this.seats.get(move.sectionId);
      if (!list) {
        list = [];
        this.seats.set(move.sectionId, list);
      }
      list.push({
        $typeName: "ticketing.api.v1.SeatStatusChange",
        ticketId: move.ticketId,
        status: move.status,
      });
    }
  }

  protected build(sectionId: string) {
    return create(WatchAvailabilityResponseSchema, {
      sequence: this.sequence,
      update: {
        case: "changes",
        value: { sections: this.sections, seats: sectionId ? (this.seats.get(sectionId) ?? []) : [] },
      },
    });
  }

  protected frame(sectionId: string) {
    const seats = sectionId ? (this.seats.get(sectionId) ?? []) : undefined;
    return frame("changes", this.sequence, {
      sequence: Number(this.sequence),
      sections: this.sections.map(sectionJson),
      ...(seats ? { seats: seats.map((s) => ({ id: s.ticketId, status: TicketStatus[s.status] })) } : {}),
    });
  }
}

/** Keeps proxies from closing an idle stream; an SSE comment, or an empty Connect message. */
export class Heartbeat extends Update {
  protected build() {
    return create(WatchAvailabilityResponseSchema, {
      sequence: this.sequence,
      update: { case: "heartbeat", value: {} },
    });
  }

  protected frame() {
    return ": heartbeat\n\n";
  }
}
