import { Migration } from '@mikro-orm/migrations';

// Hand-written: a partial index the entity metadata cannot express. Search shows every result's
// lowest available price; without it that was an aggregate over each event's tickets (a 60,000-seat
// stadium per result), slower than the price lookup's deadline, so big events showed no price.
// A sold ticket's new row version fails the predicate and adds no entry, so sales pay nothing.
// Plain CREATE INDEX blocks writes to the table while it builds (about a second per million
// tickets); migrations run in one transaction, where CONCURRENTLY cannot. On a large live table,
// create it CONCURRENTLY by hand first (deploy/README.md): "if not exists" then skips it here.
export class Migration20261128120000_AvailablePriceIndex extends Migration {

  override name = 'Migration20261128120000_AvailablePriceIndex';

  override up(): void | Promise<void> {
    this.addSql(`create index if not exists "ticket_available_price_index" on "inventory"."ticket" ("event_id", "price_cents") where "status" = 'AVAILABLE';`);
  }

}
