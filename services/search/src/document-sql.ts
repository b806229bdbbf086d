// The SQL that turns an event's fields into its search vector. Every writer of the index (feed
// apply, rebuild, benchmark data) uses this one definition, so the index stays uniform.

export interface VectorColumns {
  name: string;
  performers: string;
  venue: string;
  city: string;
  description: string;
}

/**
 * Weighted vector: event and performer names weigh most (A), venue and city next (B), description
 * last (D). The 'simple' configuration keeps names as typed — no stemming of "Swift" or "Kings" and no
 * stop words, so an exact title matches exactly; prefix queries cover word endings.
 */
export function documentVectorSql(c: VectorColumns): string {
  return `setweight(to_tsvector('simple', coalesce(${c.name}, '') || ' ' || coalesce(${c.performers}, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(${c.venue}, '') || ' ' || coalesce(${c.city}, '')), 'B')
    || setweight(to_tsvector('simple', coalesce(${c.description}, '')), 'D')`;
}

/**
 * Words for typo lookups: the A and B lexemes (names, venue, city) of the vectors a subquery
 * yields as `search_vector`, from 3 to 100 characters and not pure numbers. Descriptions stay out:
 * their words would turn typos of names into matches on filler text.
 */
export function termsOfVectorSql(vectors: string): string {
  return `select distinct w from ${vectors} as v,
    unnest(tsvector_to_array(ts_filter(v.search_vector, '{a,b}'))) as w
    where length(w) between 3 and 100 and w !~ '^[0-9]+$'`;
}

/** An event name as query words are compared with it: lower case, runs of punctuation → one space. */
export function nameKeySql(name: string): string {
  return `trim(regexp_replace(lower(${name}), '[^[:alnum:]]+', ' ', 'g'))`;
}

/**
 * A city as filters compare it: lower case, accents removed ("São Paulo" → "sao paulo"), so a
 * city typed without accents still matches. Applied to the stored city when a row is written and
 * to the requested one when a query runs: one definition for both sides. `unaccent` is a trusted
 * contrib extension (created by the search migrations); naming its dictionary keeps the call
 * independent of search_path.
 */
export function cityKeySql(city: string): string {
  return `lower(public.unaccent('public.unaccent'::regdictionary, ${city}))`;
}

/** The index table's columns in insert order. */
export const documentColumns = [
  "id",
  "name",
  "name_key",
  "category",
  "status",
  "starts_at",
  "venue_name",
  "city",
  "city_key",
  "country",
  "timezone",
  "performer_names",
  "search_vector",
  "feed_sequence",
].join(", ");
