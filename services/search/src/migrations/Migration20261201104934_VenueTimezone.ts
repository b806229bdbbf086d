import { Migration } from '@mikro-orm/migrations';

// Rows indexed before this column existed have no time zone, and search cannot read the catalog's
// venues to fill it in: marking the index never built makes the next start rebuild it from the
// catalog's export (index-sync.ts), which carries every venue's zone.
export class Migration20261201104934_VenueTimezone extends Migration {

  override name = 'Migration20261201104934_VenueTimezone';

  override up(): void | Promise<void> {
    this.addSql(`alter table "search"."event_doc" add "timezone" varchar(64) not null default '';`);
    this.addSql(`update "search"."feed_state" set "built_at" = null where exists (select 1 from "search"."event_doc");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "search"."event_doc" drop column "timezone";`);
  }

}
