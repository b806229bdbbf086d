import { defineEntity, p } from "@mikro-orm/core";

/**
 * A purchase: PENDING while the sale is in flight, then CONFIRMED (tickets sold, payment
 * captured), FAILED (nothing sold, authorization voided) or NEEDS_REVIEW (the reconciler could not
 * settle it and an operator decides). The tickets' `booking_id` set in the
 * sale transaction is what tells the reconciler a PENDING booking committed.
 */
export const Booking = defineEntity({
  name: "Booking",
  tableName: "booking",
  schema: "inventory",
  uniques: [{ properties: ["userId", "idempotencyKey"] }],
  indexes: [
    {
      name: "booking_user_id_created_at_index",
      expression: `create index "booking_user_id_created_at_index" on "inventory"."booking" ("user_id", "created_at" desc)`,
    },
    {
      // Only PENDING rows: the reconciler's scan stays tiny however many bookings exist.
      name: "booking_pending_created_at_index",
      expression: `create index "booking_pending_created_at_index" on "inventory"."booking" ("created_at") where "status" = 'PENDING'`,
    },
  ],
  properties: {
    id: p.uuid().primary(),
    userId: p.string().length(200),
    eventId: p.uuid(),
    ticketIds: p.array().columnType("uuid[]"),
    totalCents: p.bigint("number"),
    currency: p.string().length(3),
    status: p.enum(["PENDING", "CONFIRMED", "FAILED", "NEEDS_REVIEW"] as const),
    idempotencyKey: p.string().length(200),
    requestHash: p.string().length(64),
    paymentProvider: p.string().length(32),
    paymentRef: p.string().length(100).nullable(),
    cardBrand: p.string().length(20),
    cardLast4: p.string().length(4),
    failureReason: p.string().length(200).nullable(),
    createdAt: p.datetime().defaultRaw("now()"),
    updatedAt: p.datetime().defaultRaw("now()"),
  },
});
