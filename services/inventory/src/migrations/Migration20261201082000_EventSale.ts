import { Migration } from '@mikro-orm/migrations';

// Inventory's own copy of each event's sale status and window, so holds and bookings are refused
// outside it without reading the catalog's tables; and the position in the catalog's feed.
export class Migration20261201082000_EventSale extends Migration {

  override name = 'Migration20261201082000_EventSale';

  override up(): void | Promise<void> {
    this.addSql(`create table "inventory"."event_sale" ("event_id" uuid not null, "status" text not null, "starts_at" timestamptz not null, "sale_starts_at" timestamptz null, "sale_ends_at" timestamptz null, "version" int not null, "updated_at" timestamptz not null default now(), primary key ("event_id"));`);
    this.addSql(`alter table "inventory"."event_sale" add constraint "event_sale_status_check" check ("status" in ('SCHEDULED', 'ON_SALE', 'POSTPONED', 'CANCELLED'));`);
    this.addSql(`create table "inventory"."feed_position" ("feed" varchar(50) not null, "applied_sequence" bigint not null, primary key ("feed"));`);
  }

}
