import { Migration } from '@mikro-orm/migrations';

// A booking the reconciler gave up on is NEEDS_REVIEW: it leaves the PENDING index, so it is
// never retried silently again, and an operator settles it.
export class Migration20261201081000_BookingNeedsReview extends Migration {

  override name = 'Migration20261201081000_BookingNeedsReview';

  override up(): void | Promise<void> {
    this.addSql(`alter table "inventory"."booking" drop constraint if exists "booking_status_check";`);
    this.addSql(`alter table "inventory"."booking" add constraint "booking_status_check" check ("status" in ('PENDING', 'CONFIRMED', 'FAILED', 'NEEDS_REVIEW'));`);
  }

}
