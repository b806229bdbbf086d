import { Migration } from '@mikro-orm/migrations';

export class Migration20261128075758_Initial extends Migration {

  override name = 'Migration20261128075758_Initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "search";`);
    this.addSql(`create table "search"."feed_state" ("id" varchar(32) not null, "applied_sequence" bigint not null, "index_version" bigint not null, "built_at" timestamptz null, "updated_at" timestamptz not null default now(), primary key ("id"));`);

    this.addSql(`create table "search"."event_doc" ("id" uuid not null, "name" varchar(300) not null, "name_key" varchar(300) not null, "category" varchar(32) not null, "status" varchar(16) not null, "starts_at" timestamptz not null, "venue_name" varchar(300) not null, "city" varchar(100) not null, "city_key" varchar(100) not null, "country" varchar(2) not null, "performer_names" text[] not null, "search_vector" tsvector not null, "feed_sequence" bigint not null, "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "event_doc_starts_at_id_idx" on "search"."event_doc" ("starts_at", "id");`);
    this.addSql(`create index "event_doc_city_starts_at_idx" on "search"."event_doc" ("city_key", "starts_at", "id");`);
    this.addSql(`create index "event_doc_category_starts_at_idx" on "search"."event_doc" ("category", "starts_at", "id");`);

    this.addSql(`create table "search"."term" ("word" varchar(100) not null, primary key ("word"));`);
  }

}
