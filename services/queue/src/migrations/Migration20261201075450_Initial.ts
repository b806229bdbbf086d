import { Migration } from '@mikro-orm/migrations';

export class Migration20261201075450_Initial extends Migration {

  override name = 'Migration20261201075450_Initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "queue";`);
    this.addSql(`create table "queue"."queue_settings" ("event_id" uuid not null, "enabled" boolean not null, "max_active_shoppers" int not null, "admissions_per_minute" int not null, "shopping_window_seconds" int not null, "opens_at" timestamptz not null, "version" int not null default 1, "updated_at" timestamptz not null default now(), primary key ("event_id"));`);
  }

}
