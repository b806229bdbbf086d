import { Migration } from '@mikro-orm/migrations';

// Events whose holds and bookings need the waiting room's admission token (set by the queue service).
export class Migration20261201075801_WaitingRoom extends Migration {

  override name = 'Migration20261201075801_WaitingRoom';

  override up(): void | Promise<void> {
    this.addSql(`create table "inventory"."waiting_room" ("event_id" uuid not null, "enabled" boolean not null, "updated_at" timestamptz not null default now(), primary key ("event_id"));`);
  }

}
