import { Migration } from '@mikro-orm/migrations';

export class Migration20261128075225_Initial extends Migration {

  override name = 'Migration20261128075225_Initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "inventory";`);
    this.addSql(`create table "inventory"."booking" ("id" uuid not null, "user_id" varchar(200) not null, "event_id" uuid not null, "ticket_ids" uuid[] not null, "total_cents" bigint not null, "currency" varchar(3) not null, "status" text not null, "idempotency_key" varchar(200) not null, "request_hash" varchar(64) not null, "payment_provider" varchar(32) not null, "payment_ref" varchar(100) null, "card_brand" varchar(20) not null, "card_last4" varchar(4) not null, "failure_reason" varchar(200) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "inventory"."booking" add constraint "booking_user_id_idempotency_key_unique" unique ("user_id", "idempotency_key");`);
    this.addSql(`alter table "inventory"."booking" add constraint "booking_status_check" check ("status" in ('PENDING', 'CONFIRMED', 'FAILED'));`);

    this.addSql(`create table "inventory"."ticket" ("id" uuid not null default gen_random_uuid(), "event_id" uuid not null, "section_id" uuid not null, "row_label" varchar(20) not null default '', "seat" int not null, "price_cents" bigint not null, "currency" varchar(3) not null, "status" text not null default 'AVAILABLE', "version" int not null default 1, "booking_id" uuid null, "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "inventory"."ticket" add constraint "ticket_event_id_section_id_row_label_seat_unique" unique ("event_id", "section_id", "row_label", "seat");`);
    this.addSql(`alter table "inventory"."ticket" add constraint "ticket_status_check" check ("status" in ('AVAILABLE', 'SOLD'));`);

    // Hand-written: orderings and partial indexes the entity metadata cannot express.
    this.addSql(`create index "booking_user_id_created_at_index" on "inventory"."booking" ("user_id", "created_at" desc);`);
    this.addSql(`create index "booking_pending_created_at_index" on "inventory"."booking" ("created_at") where "status" = 'PENDING';`);
    this.addSql(`create index "ticket_booking_id_index" on "inventory"."ticket" ("booking_id") where "booking_id" is not null;`);
  }

}
