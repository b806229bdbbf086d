import { defineEntity, p } from "@mikro-orm/core";

// The search schema: a denormalized copy of what search needs, fed from the catalog's change feed.
// GIN, trigram and expression indexes are declared here only as raw expressions (so schema diffs
// leave them alone) and created by hand-written migrations; MikroORM mis-diffs them otherwise.

/**
 * One searchable event: the catalog's EventDocument flattened, plus its weighted tsvector. The
 * description lives only inside the vector: results never show it, and a narrow row keeps more of
 * the table in memory.
 */
export const SearchDocument = defineEntity({
  name: "SearchDocument",
  tableName: "event_doc",
  schema: "search",
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(300),
    /** The name as query words compare to it: lower case, punctuation collapsed to single spaces. */
    nameKey: p.string().length(300),
    category: p.string().length(32),
    status: p.string().length(16),
    startsAt: p.datetime(),
    venueName: p.string().length(300),
    city: p.string().length(100),
    /** The city without case or accents (document-sql.ts cityKeySql); city filters use it through a btree. */
    cityKey: p.string().length(100),
    country: p.string().length(2),
    /** The venue's IANA time zone; '' for rows written before the index carried it. */
    timezone: p.string().length(64).default(""),
    performerNames: p.array(),
    /** Built by search.document_vector(); see the hand-written migration. */
    searchVector: p.string().columnType("tsvector"),
    /** The feed sequence this row reflects; older changes never overwrite it. */
    feedSequence: p.bigint(),
    updatedAt: p.datetime().defaultRaw("now()"),
  },
  indexes: [
    { name: "event_doc_starts_at_id_idx", properties: ["startsAt", "id"] },
    { name: "event_doc_city_starts_at_idx", properties: ["cityKey", "startsAt", "id"] },
    { name: "event_doc_category_starts_at_idx", properties: ["category", "startsAt", "id"] },
    {
      name: "event_doc_search_vector_idx",
      expression: `create index "event_doc_search_vector_idx" on "search"."event_doc" using gin ("search_vector")`,
    },
  ],
});

/** Words of event, performer, venue and city names: what typo-tolerant lookups compare against. */
export const SearchTerm = defineEntity({
  name: "SearchTerm",
  tableName: "term",
  schema: "search",
  properties: {
    word: p.string().length(100).primary(),
  },
  indexes: [
    {
      name: "term_word_trgm_idx",
      expression: `create index "term_word_trgm_idx" on "search"."term" using gin ("word" public.gin_trgm_ops)`,
    },
  ],
});

/** Where the index stands in the change feed. One row per feed ("catalog"). */
export const FeedState = defineEntity({
  name: "FeedState",
  tableName: "feed_state",
  schema: "search",
  properties: {
    id: p.string().length(32).primary(),
    /** Last change applied; the follower asks for changes after it. */
    appliedSequence: p.bigint(),
    /** Bumped with every applied batch and rebuild; part of every result-cache key. */
    indexVersion: p.bigint(),
    /** When the last full rebuild finished; null means the index was never built. */
    builtAt: p.datetime().nullable(),
    updatedAt: p.datetime().defaultRaw("now()"),
  },
});
