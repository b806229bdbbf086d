// Row shapes of the catalog's read queries and the SQL fragments that produce them. The hot reads
// build the whole nested answer in one round trip (json aggregates) instead of one query per table.

/** Timestamps arrive as strings from MikroORM's type parsers and as Date from others. */
export type DbTime = Date | string;

export interface EventRow {
  id: string;
  name: string;
  description: string;
  category: string;
  starts_at: DbTime;
  ends_at: DbTime;
  venue_id: string;
  status: string;
  on_sale_starts_at: DbTime | null;
  on_sale_ends_at: DbTime | null;
  version: number;
  performer_ids: string[];
}

export interface SectionJson {
  id: string;
  name: string;
  kind: string;
  capacity: number;
  /** Absent when the query left the seat map out. */
  rows?: { label: string; seatCount: number }[];
}

export interface VenueJson {
  id: string;
  name: string;
  address: string;
  city: string;
  country: string;
  timezone: string;
  capacity: number;
  sections: SectionJson[];
}

export interface PerformerJson {
  id: string;
  name: string;
  bio: string;
  genre: string;
}

export interface EventPageRow extends EventRow {
  venue: VenueJson;
  performers: PerformerJson[];
}

export interface EventDocumentRow extends EventRow {
  venue_name: string;
  city: string;
  country: string;
  timezone: string;
  performer_names: string[];
}

/** Columns of `EventRow` for an `event e`. */
export const eventColumns = `e.id, e.name, e.description, e.category, e.starts_at, e.ends_at, e.venue_id,
  e.status, e.on_sale_starts_at, e.on_sale_ends_at, e.version,
  array(select ep.performer_id::text from catalog.event_performer ep
        where ep.event_id = e.id order by ep.position, ep.performer_id) as performer_ids`;

/** A `venue v` with its sections in seat-map order, as one json value (rows optional). */
const venueJsonOf = (rows: string) => `json_build_object('id', v.id, 'name', v.name, 'address', v.address,
  'city', v.city, 'country', v.country, 'timezone', v.timezone, 'capacity', v.capacity,
  'sections', coalesce((select json_agg(json_build_object('id', s.id, 'name', s.name, 'kind', s.kind,
      'capacity', s.capacity${rows}) order by s.position, s.id)
    from catalog.section s where s.venue_id = v.id), '[]'::json))`;

/** A `venue v` with its sections and their row layouts (the seat map), as one json value. */
export const venueJson = venueJsonOf(", 'rows', s.rows");

/** `venueJson` without the row layouts: sections carry no `rows` key. */
export const venueJsonWithoutRows = venueJsonOf("");

/** The performers of `event e` in billing order, as one json array. */
export const performersJson = `coalesce((select json_agg(json_build_object('id', p.id, 'name', p.name,
    'bio', p.bio, 'genre', p.genre) order by ep.position, p.id)
  from catalog.event_performer ep join catalog.performer p on p.id = ep.performer_id
  where ep.event_id = e.id), '[]'::json)`;

/** What a search document needs beyond the event: venue name, place and zone, performer names. */
export const documentColumns = `${eventColumns}, v.name as venue_name, v.city, v.country, v.timezone,
  array(select p.name::text from catalog.event_performer ep join catalog.performer p on p.id = ep.performer_id
        where ep.event_id = e.id order by ep.position, p.id) as performer_names`;
