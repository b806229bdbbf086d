import { Migration } from '@mikro-orm/migrations';

export class Migration20261128075135_Initial extends Migration {

  override name = 'Migration20261128075135_Initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "catalog";`);
    this.addSql(`create table "catalog"."outbox" ("sequence" bigserial primary key, "event_id" uuid not null, "payload" jsonb null, "created_at" timestamptz not null default now());`);

    this.addSql(`create table "catalog"."performer" ("id" uuid not null, "name" varchar(200) not null, "bio" text not null, "genre" varchar(50) not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);

    this.addSql(`create table "catalog"."venue" ("id" uuid not null, "name" varchar(200) not null, "address" varchar(300) not null, "city" varchar(100) not null, "country" varchar(2) not null, "timezone" varchar(64) not null, "capacity" int not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);

    this.addSql(`create table "catalog"."section" ("id" uuid not null, "venue_id" uuid not null, "position" int not null, "name" varchar(100) not null, "kind" text not null, "capacity" int not null, "rows" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "section_venue_id_index" on "catalog"."section" ("venue_id");`);
    this.addSql(`alter table "catalog"."section" add constraint "section_kind_check" check ("kind" in ('SEATED', 'GENERAL_ADMISSION'));`);

    this.addSql(`create table "catalog"."event" ("id" uuid not null, "name" varchar(200) not null, "description" text not null, "category" varchar(32) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "venue_id" uuid not null, "status" text not null, "on_sale_starts_at" timestamptz null, "on_sale_ends_at" timestamptz null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "event_venue_id_index" on "catalog"."event" ("venue_id");`);
    this.addSql(`create index "event_starts_at_id_index" on "catalog"."event" ("starts_at", "id");`);
    this.addSql(`alter table "catalog"."event" add constraint "event_status_check" check ("status" in ('SCHEDULED', 'ON_SALE', 'POSTPONED', 'CANCELLED'));`);

    this.addSql(`create table "catalog"."event_performer" ("event_id" uuid not null, "performer_id" uuid not null, "position" int not null, primary key ("event_id", "performer_id"));`);
    this.addSql(`create index "event_performer_performer_id_index" on "catalog"."event_performer" ("performer_id");`);

    this.addSql(`alter table "catalog"."section" add constraint "section_venue_id_foreign" foreign key ("venue_id") references "catalog"."venue" ("id");`);

    this.addSql(`alter table "catalog"."event" add constraint "event_venue_id_foreign" foreign key ("venue_id") references "catalog"."venue" ("id");`);

    this.addSql(`alter table "catalog"."event_performer" add constraint "event_performer_event_id_foreign" foreign key ("event_id") references "catalog"."event" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "catalog"."event_performer" add constraint "event_performer_performer_id_foreign" foreign key ("performer_id") references "catalog"."performer" ("id") on update cascade on delete cascade;`);
  }

}
