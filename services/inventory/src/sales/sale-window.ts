// When an event's tickets may be held and booked, decided from inventory's own copy of the
// catalog's status and on-sale window.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectError } from "@connectrpc/connect";
import { type Event, EventStatus } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { reasonError } from "#platform";

export type SaleStatus = "SCHEDULED" | "ON_SALE" | "POSTPONED" | "CANCELLED";

export interface SaleWindow {
  eventId: string;
  status: SaleStatus;
  startsAt: Date;
  /** Unset: on sale as soon as the status says so. */
  saleStartsAt: Date | null;
  /** Unset: sales close when the event starts. */
  saleEndsAt: Date | null;
  /** The catalog event's version this copy reflects. */
  version: number;
}

const statuses: Record<number, SaleStatus> = {
  [EventStatus.SCHEDULED]: "SCHEDULED",
  [EventStatus.ON_SALE]: "ON_SALE",
  [EventStatus.POSTPONED]: "POSTPONED",
  [EventStatus.CANCELLED]: "CANCELLED",
};

/** The window of a catalog event (from GetEvent or the change feed); undefined without one. */
export function windowOf(event: Event | undefined): SaleWindow | undefined {
  const status = event && statuses[event.status];
  if (!event?.id || !status || !event.startsAt) return undefined;
  return {
    eventId: event.id,
    status,
    startsAt: timestampDate(event.startsAt),
    saleStartsAt: event.onSaleStartsAt ? timestampDate(event.onSaleStartsAt) : null,
    saleEndsAt: event.onSaleEndsAt ? timestampDate(event.onSaleEndsAt) : null,
    version: event.version,
  };
}

/** Why tickets of this event cannot be sold at `now`, or undefined when they can. */
export function saleRefusal(window: SaleWindow, now: Date): string | undefined {
  if (window.status === "CANCELLED") return "this event was cancelled: its tickets are no longer on sale";
  if (window.status === "POSTPONED") return "this event is postponed: ticket sales are paused";
  if (window.status === "SCHEDULED") return "tickets for this event are not on sale yet";
  if (window.saleStartsAt && now < window.saleStartsAt) {
    return `tickets for this event go on sale at ${window.saleStartsAt.toISOString()}`;
  }
  if (now >= window.startsAt) return "this event has already started: its ticket sales are closed";
  if (window.saleEndsAt && now >= window.saleEndsAt) {
    return `ticket sales for this event closed at ${window.saleEndsAt.toISOString()}`;
  }
  return undefined;
}

/** 409 `not_on_sale` at the edge. */
export const notOnSale = (message: string): ConnectError =>
  reasonError(message, Code.FailedPrecondition, "NOT_ON_SALE");
