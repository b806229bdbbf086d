// The read side: parameterized SQL (named prepared statements) that answers each read RPC in one
// round trip. Reads go to the replica when one is configured, except right after a write (see
// ReadCache), when `primary` is asked for so replica lag cannot put old data back into the cache.
import { create } from "@bufbuild/protobuf";
import {
  type Event,
  type EventDocument,
  type GetEventResponse,
  GetEventResponseSchema,
  type Performer,
  type Venue,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { EntityManager, Orm, SqlPools } from "#platform";
import {
  documentColumns,
  type EventDocumentRow,
  type EventPageRow,
  type EventRow,
  eventColumns,
  type PerformerJson,
  performersJson,
  type VenueJson,
  venueJson,
  venueJsonWithoutRows,
} from "./event-rows.ts";
import { documentFromRow, eventFromRow, performerFromJson, venueFromJson } from "./proto-mappers.ts";

const getEventSql = (venue: string) =>
  `select ${eventColumns}, ${venue} as venue, ${performersJson} as performers
   from catalog.event e join catalog.venue v on v.id = e.venue_id where e.id = $1`;
/** Prepared statement name and text of each GetEvent shape. */
const getEventWithRows = ["catalog_get_event", getEventSql(venueJson)] as const;
const getEventWithoutRows = ["catalog_get_event_no_rows", getEventSql(venueJsonWithoutRows)] as const;

export interface ReadOptions {
  /** Read from the primary even when a replica is configured. */
  primary?: boolean;
}

export class CatalogReads {
  constructor(
    private readonly orm: Orm,
    private readonly pools: SqlPools,
  ) {}

  /** The event with venue and performers; `omitSeatRows` leaves the sections' rows out. */
  async getEvent(
    eventId: string,
    options?: ReadOptions & { omitSeatRows?: boolean },
  ): Promise<GetEventResponse | undefined> {
    const [name, text] = options?.omitSeatRows ? getEventWithoutRows : getEventWithRows;
    const [row] = await this.pools.query<EventPageRow>(name, text, [eventId], options);
    if (!row) return undefined;
    return create(GetEventResponseSchema, {
      event: eventFromRow(row),
      venue: venueFromJson(row.venue),
      performers: row.performers.map(performerFromJson),
    });
  }

  async getVenue(venueId: string, options?: ReadOptions): Promise<Venue | undefined> {
    const [row] = await this.pools.query<{ venue: VenueJson }>(
      "catalog_get_venue",
      `select ${venueJson} as venue from catalog.venue v where v.id = $1`,
      [venueId],
      options,
    );
    return row ? venueFromJson(row.venue) : undefined;
  }

  async getPerformer(performerId: string): Promise<Performer | undefined> {
    const [row] = await this.pools.query<{ performer: PerformerJson }>(
      "catalog_get_performer",
      `select json_build_object('id', p.id, 'name', p.name, 'bio', p.bio, 'genre', p.genre) as performer
       from catalog.performer p where p.id = $1`,
      [performerId],
      { primary: true },
    );
    return row ? performerFromJson(row.performer) : undefined;
  }

  /**
   * Events starting at or after `from` that are not cancelled, by start time then id, with the
   * total count. A cancelled event keeps its page (buyers look up what happened) but leaves listings.
   */
  async listUpcoming(
    from: Date,
    page: number,
    pageSize: number,
  ): Promise<{ events: Event[]; total: bigint }> {
    const [rows, counts] = await Promise.all([
      this.pools.query<EventRow>(
        "catalog_list_upcoming",
        `select ${eventColumns} from catalog.event e where e.starts_at >= $1 and e.status <> 'CANCELLED'
         order by e.starts_at, e.id limit $2 offset $3`,
        [from, pageSize, (page - 1) * pageSize],
      ),
      this.pools.query<{ total: string }>(
        "catalog_count_upcoming",
        "select count(*)::text as total from catalog.event where starts_at >= $1 and status <> 'CANCELLED'",
        [from],
      ),
    ]);
    return { events: rows.map(eventFromRow), total: BigInt(counts[0]?.total ?? "0") };
  }

  /** Search documents of events with an id greater than `afterId`, in id order. */
  async exportDocuments(afterId: string | undefined, limit: number): Promise<EventDocument[]> {
    const rows = await this.orm.em.fork().execute<EventDocumentRow[]>(
      `select ${documentColumns} from catalog.event e join catalog.venue v on v.id = e.venue_id
       where e.id > ? order by e.id limit ?`,
      [afterId ?? "00000000-0000-0000-0000-000000000000", limit],
    );
    return rows.map(documentFromRow);
  }
}

/** Search documents of the given events, read through `em` (inside a write transaction). */
export async function documentsOf(em: EntityManager, eventIds: string[]): Promise<EventDocument[]> {
  if (eventIds.length === 0) return [];
  const rows = await em.execute<EventDocumentRow[]>(
    `select ${documentColumns} from catalog.event e join catalog.venue v on v.id = e.venue_id
     where e.id in (select jsonb_array_elements_text(?::jsonb)::uuid) order by e.id`,
    [JSON.stringify(eventIds)],
  );
  return rows.map(documentFromRow);
}
