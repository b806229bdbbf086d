// Fills an index table with synthetic events straight in SQL (generate_series), fast enough for
// 100,000 rows in a test and 1,000,000+ in the benchmark. Deterministic for a given seed.
import type pg from "pg";
import {
  cityKeySql,
  documentColumns,
  documentVectorSql,
  nameKeySql,
} from "../../services/search/src/document-sql.ts";
import {
  cities,
  comedyTitles,
  performerPools,
  sentences,
  tourWords,
  venues as venueList,
} from "./synthetic-words.ts";

export interface SyntheticOptions {
  /** Fully qualified table, e.g. search.event_doc. */
  table: string;
  count: number;
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Headline events inserted first: the famous tour, its look-alikes and a second big tour. */
export const headline = {
  tour: "Taylor Swift | The Eras Tour",
  performer: "Taylor Swift",
  tribute: "Taylor Swift Tribute Night",
  tributeBand: "The Swift Tributes",
  second: "Neon Wolves — Electric Skies Tour",
};

const vector = documentVectorSql({
  name: "x.name",
  performers: "array_to_string(x.performers, ' ')",
  venue: "x.venue_name",
  city: "x.city",
  description: "x.description",
});

const insertHead = (table: string) => `insert into ${table} (${documentColumns})
  select x.id, x.name, ${nameKeySql("x.name")}, x.category, x.status, x.starts_at, x.venue_name, x.city,
    ${cityKeySql("x.city")}, x.country, '', x.performers, ${vector}, 0 from`;

// Random draws are made once per row in a LATERAL that refers to the row number, so PostgreSQL
// cannot hoist them; squaring a draw skews picks towards the front of a pool (a few acts are huge).
const bulkSql = (table: string) => `${insertHead(table)} (
  select md5('synthetic-event-' || g)::uuid as id, c.category,
    case c.category
      when 'concert' then m.main || ' — ' || ($5::text[])[1 + floor(r.r5 * cardinality($5::text[]))::int]
      when 'sports' then m.main || ' vs ' || m.rival
      when 'comedy' then m.main || ': ' || ($6::text[])[1 + floor(r.r5 * cardinality($6::text[]))::int]
      else m.main end as name,
    case when c.category = 'concert' and r.r6 < 0.3 then array[m.main, m.rival]
      when c.category = 'sports' then array[m.main, m.rival] else array[m.main] end as performers,
    s.one || ' ' || s.two || ' At ' || v.name || ', ' || v.city || '.' as description,
    case when r.r6 < 0.02 then 'CANCELLED' when r.r6 < 0.03 then 'POSTPONED' else 'ON_SALE' end as status,
    timestamptz '2027-01-01 19:00:00+00' + floor(r.r4 * 730) * interval '1 day'
      + floor(r.r5 * 4) * interval '1 hour' as starts_at,
    v.name as venue_name, v.city, v.country
  from generate_series($1::int, $2::int) g
  cross join lateral (select random() r1, random() r2, random() r3, random() r4, random() r5,
    random() r6, random() r7, g as gg) r
  cross join lateral (select case when r.r1 < 0.55 then 'concert' when r.r1 < 0.75 then 'sports'
    when r.r1 < 0.85 then 'comedy' when r.r1 < 0.95 then 'theater' else 'family' end as category) c
  cross join lateral (select
    ($3::jsonb -> c.category ->> floor(power(r.r2, 2) * jsonb_array_length($3::jsonb -> c.category))::int) as main,
    ($3::jsonb -> c.category ->> floor(r.r7 * jsonb_array_length($3::jsonb -> c.category))::int) as rival) m
  cross join lateral (select $4::jsonb -> floor(r.r3 * jsonb_array_length($4::jsonb))::int ->> 'name' as name,
    $4::jsonb -> floor(r.r3 * jsonb_array_length($4::jsonb))::int ->> 'city' as city,
    $4::jsonb -> floor(r.r3 * jsonb_array_length($4::jsonb))::int ->> 'country' as country) v
  cross join lateral (select
    $7::jsonb -> c.category ->> floor(r.r6 * jsonb_array_length($7::jsonb -> c.category))::int as one,
    $7::jsonb -> c.category ->> floor(r.r7 * jsonb_array_length($7::jsonb -> c.category))::int as two) s
) x`;

const headlineSql = (table: string) => `${insertHead(table)} (
  select md5('headline-event-' || g || '-' || h.kind)::uuid as id, 'concert' as category,
    h.title || ' — ' || ($1::jsonb -> (g % jsonb_array_length($1::jsonb)) ->> 0) as name,
    array[h.performer] as performers,
    h.performer || ' live. An unforgettable night of live music with a full production.' as description,
    'ON_SALE' as status,
    timestamptz '2027-03-01 19:30:00+00' + (g * 3) * interval '1 day' as starts_at,
    ($1::jsonb -> (g % jsonb_array_length($1::jsonb)) ->> 0) || ' Stadium' as venue_name,
    $1::jsonb -> (g % jsonb_array_length($1::jsonb)) ->> 0 as city,
    $1::jsonb -> (g % jsonb_array_length($1::jsonb)) ->> 1 as country
  from (values ('tour', $2::text, $3::text, 40), ('tribute', $4::text, $5::text, 20),
    ('second', $6::text, 'Neon Wolves', 40)) as h(kind, title, performer, n)
  cross join lateral generate_series(1, h.n) g
) x`;

/** Inserts `count` synthetic events (100 of them headline events) into `table`. */
export async function fillSyntheticIndex(client: pg.ClientBase, options: SyntheticOptions): Promise<void> {
  const { table, count } = options;
  const batch = options.batchSize ?? 50_000;
  await client.query("select setseed($1)", [((options.seed ?? 42) % 1000) / 1000]);
  await client.query(headlineSql(table), [
    JSON.stringify(cities),
    headline.tour,
    headline.performer,
    headline.tribute,
    headline.tributeBand,
    headline.second,
  ]);
  const params = [
    JSON.stringify(performerPools()),
    JSON.stringify(venueList()),
    tourWords,
    comedyTitles,
    JSON.stringify(sentences),
  ];
  const rest = Math.max(0, count - 100);
  for (let from = 1; from <= rest; from += batch) {
    const to = Math.min(rest, from + batch - 1);
    await client.query(bulkSql(table), [from, to, ...params]);
    options.onProgress?.(to + 100, count);
  }
}
