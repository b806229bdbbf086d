import { Migration } from '@mikro-orm/migrations';

// Hand-written: a partial index the entity metadata cannot express. Search shows every result's
// lowest available price; without it that was an aggregate over each event's tickets (a 60,000-seat
// stadium per result), slower than the price lookup's deadline, so big events showed no price.
// A sold ticket's new row version fails the predicate and adds no entry, so sales pay nothing.
export class Migration20261128120000_AvailablePriceIndex extends Migration {

  override name = 'Migration20261128120000_AvailablePriceIndex';

  override up(): void | Promise<void> {
    this.addSql(`create index "ticket_available_price_index" on "inventory"."ticket" ("event_id", "price_cents") where "status" = 'AVAILABLE';`);
  }

}
