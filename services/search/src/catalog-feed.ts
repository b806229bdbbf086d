// The catalog's change feed over gRPC, woken by the catalog's pub/sub message after each commit.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Client } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import {
  type CatalogService,
  type EventDocument,
  EventStatus,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { wakeOnMessage } from "#platform";
import type { ChangeFeed, ExportPage, FeedChange, IndexDocument } from "./change-feed.ts";

/** Maps the catalog's EventDocument to what the index stores. */
export function toIndexDocument(doc: EventDocument): IndexDocument | null {
  const event = doc.event;
  if (!event?.id) return null;
  return {
    id: event.id,
    name: event.name,
    description: event.description,
    category: event.category,
    status: (EventStatus[event.status] ?? "UNSPECIFIED").replace(/^EVENT_STATUS_/, ""),
    startsAt: event.startsAt ? timestampDate(event.startsAt) : new Date(0),
    venueName: doc.venueName,
    city: doc.city,
    country: doc.country,
    timezone: doc.timezone,
    performerNames: doc.performerNames,
  };
}

export class CatalogFeed implements ChangeFeed {
  constructor(
    private readonly catalog: Client<typeof CatalogService>,
    /** A dedicated connection: a subscribed ioredis client can do nothing else. */
    private readonly subscriber: Redis,
    /** The catalog's change channel (platform's `catalogChangesChannel`). */
    private readonly channel: string,
  ) {}

  async listChanges(afterSequence: bigint, limit: number): Promise<FeedChange[]> {
    const res = await this.catalog.listChanges({ afterSequence, limit }, { timeoutMs: 10_000 });
    return res.changes.map((c) => ({
      sequence: c.sequence,
      eventId: c.eventId,
      document: c.document ? toIndexDocument(c.document) : null,
    }));
  }

  async exportEvents(afterEventId: string, limit: number): Promise<ExportPage> {
    const res = await this.catalog.exportEvents({ afterEventId, limit }, { timeoutMs: 30_000 });
    const documents = res.documents.map(toIndexDocument).filter((d): d is IndexDocument => d !== null);
    return { documents, sequence: res.sequence };
  }

  onChanges(wake: () => void): Promise<() => Promise<void>> {
    return wakeOnMessage(this.subscriber, this.channel, wake);
  }
}
