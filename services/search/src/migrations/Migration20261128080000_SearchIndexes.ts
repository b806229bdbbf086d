import { Migration } from '@mikro-orm/migrations';

// Hand-written: MikroORM's diff cannot express a GIN over a tsvector or a trigram operator class, so
// they live here and the entities only name them as raw expressions.
export class Migration20261128080000_SearchIndexes extends Migration {

  override name = 'Migration20261128080000_SearchIndexes';

  override up(): void | Promise<void> {
    this.addSql(`create extension if not exists pg_trgm with schema public;`);
    this.addSql(`create index "event_doc_search_vector_idx" on "search"."event_doc" using gin ("search_vector");`);
    this.addSql(`create index "term_word_trgm_idx" on "search"."term" using gin ("word" public.gin_trgm_ops);`);
    this.addSql(`insert into "search"."feed_state" ("id", "applied_sequence", "index_version", "built_at") values ('catalog', 0, 0, null) on conflict do nothing;`);
  }

}
