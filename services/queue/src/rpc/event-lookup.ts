import { timestampDate } from "@bufbuild/protobuf/wkt";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import type { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";

export interface EventFacts {
  /** The catalog's on-sale start, if it has one. */
  onSaleStartsAt: Date | undefined;
}

/**
 * Whether an event exists (unknown events are a 404, not a quiet "no waiting room") and when it
 * goes on sale, from the catalog, remembered for `cacheMs`: joins of an event without a waiting
 * room must not each cost a catalog call.
 */
export class EventLookup {
  private readonly cache = new Map<string, { facts: EventFacts | null; atMs: number }>();

  constructor(
    private readonly catalog: Client<typeof CatalogService>,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The event's facts, or NotFound. */
  async require(eventId: string): Promise<EventFacts> {
    const hit = this.cache.get(eventId);
    const facts = hit && this.now() - hit.atMs < this.cacheMs ? hit.facts : await this.load(eventId);
    if (!facts) throw new ConnectError(`no event ${eventId}`, Code.NotFound);
    return facts;
  }

  private async load(eventId: string): Promise<EventFacts | null> {
    let facts: EventFacts | null;
    try {
      const { event } = await this.catalog.getEvent({ eventId, omitSeatRows: true }, { timeoutMs: 3000 });
      facts = { onSaleStartsAt: event?.onSaleStartsAt ? timestampDate(event.onSaleStartsAt) : undefined };
    } catch (err) {
      if (ConnectError.from(err).code !== Code.NotFound) throw err;
      facts = null;
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(eventId, { facts, atMs: this.now() });
    return facts;
  }
}
