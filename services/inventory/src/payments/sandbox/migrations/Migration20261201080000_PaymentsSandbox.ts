import { Migration } from '@mikro-orm/migrations';

// The sandbox payment provider's own records, outside the inventory schema: a provider outlives
// the merchant's process, so recovery after a crash asks it as it would ask a real one.
export class Migration20261201080000_PaymentsSandbox extends Migration {

  override name = 'Migration20261201080000_PaymentsSandbox';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "payments_sandbox";`);
    this.addSql(`create table "payments_sandbox"."payment" ("ref" varchar(40) not null, "merchant_key" varchar(200) not null, "amount_cents" bigint not null, "currency" varchar(3) not null, "card_brand" varchar(20) not null, "card_last4" varchar(4) not null, "state" text not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("ref"));`);
    this.addSql(`alter table "payments_sandbox"."payment" add constraint "payment_merchant_key_unique" unique ("merchant_key");`);
    this.addSql(`alter table "payments_sandbox"."payment" add constraint "payment_state_check" check ("state" in ('AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED'));`);
    // Hand-written: a partial index the entity metadata cannot express.
    this.addSql(`create index "payment_open_created_at_index" on "payments_sandbox"."payment" ("created_at") where "state" = 'AUTHORIZED';`);
  }

}
