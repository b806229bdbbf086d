import { defineEntity, p } from "@mikro-orm/core";
import type { DbModule } from "#platform";
import { Migration20261201080000_PaymentsSandbox } from "./migrations/Migration20261201080000_PaymentsSandbox.ts";

/**
 * One authorization of the sandbox payment provider, in the provider's own schema: the merchant
 * (inventory) never reads this table, it asks the provider through `PaymentGateway`. Keyed by the
 * provider's reference, unique per merchant idempotency key. No card data beyond brand and last four.
 */
export const SandboxPayment = defineEntity({
  name: "SandboxPayment",
  tableName: "payment",
  schema: "payments_sandbox",
  uniques: [{ properties: ["merchantKey"] }],
  indexes: [
    {
      // Only open authorizations: the merchant's "list uncaptured" stays small.
      name: "payment_open_created_at_index",
      expression: `create index "payment_open_created_at_index" on "payments_sandbox"."payment" ("created_at") where "state" = 'AUTHORIZED'`,
    },
  ],
  properties: {
    ref: p.string().length(40).primary(),
    merchantKey: p.string().length(200),
    amountCents: p.bigint("number"),
    currency: p.string().length(3),
    cardBrand: p.string().length(20),
    cardLast4: p.string().length(4),
    state: p.enum(["AUTHORIZED", "CAPTURED", "VOIDED", "REFUNDED"] as const),
    createdAt: p.datetime(),
    /** After this an uncaptured authorization can no longer be captured (the funds are released). */
    expiresAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export const paymentsSandboxDb: DbModule = {
  schema: "payments_sandbox",
  entities: [SandboxPayment],
  migrations: [Migration20261201080000_PaymentsSandbox],
};
