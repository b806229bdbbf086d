// What the index consumes: documents and ordered changes. The catalog implements it over gRPC;
// tests feed documents directly.
import type { FeedSource } from "#platform";

/** An event as the index stores it: the catalog's EventDocument, flattened. */
export interface IndexDocument {
  id: string;
  name: string;
  description: string;
  category: string;
  /** EventStatus without its prefix, e.g. "ON_SALE". */
  status: string;
  startsAt: Date;
  venueName: string;
  city: string;
  country: string;
  /** The venue's IANA time zone, e.g. "Europe/London". */
  timezone: string;
  performerNames: string[];
}

/** One feed entry: the document after the change, or null when the event was removed. */
export interface FeedChange {
  sequence: bigint;
  eventId: string;
  document: IndexDocument | null;
}

export interface ExportPage {
  documents: IndexDocument[];
  /** Feed position read before the page: replaying from here after the export loses nothing. */
  sequence: bigint;
}

export interface ChangeFeed extends FeedSource<FeedChange> {
  /** Documents with an id greater than `afterEventId` ("" = from the start), in id order. */
  exportEvents(afterEventId: string, limit: number): Promise<ExportPage>;
}

/** The highest sequence among `changes`, or `from` when none is higher. */
export function lastSequence(changes: FeedChange[], from: bigint): bigint {
  let last = from;
  for (const c of changes) if (c.sequence > last) last = c.sequence;
  return last;
}
