import { defineEntity, p } from "@mikro-orm/core";

/**
 * One sellable seat or general-admission place of one event. `HELD` is never stored: holds are
 * Redis leases. `version` is the fencing token of a sale (compare-and-set on every change).
 * Columns and defaults follow docs/data-model.md; a seed script writes these rows with raw SQL.
 */
export const Ticket = defineEntity({
  name: "Ticket",
  tableName: "ticket",
  schema: "inventory",
  uniques: [{ properties: ["eventId", "sectionId", "rowLabel", "seat"] }],
  indexes: [
    {
      name: "ticket_booking_id_index",
      expression: `create index "ticket_booking_id_index" on "inventory"."ticket" ("booking_id") where "booking_id" is not null`,
    },
    {
      name: "ticket_available_price_index",
      expression: `create index "ticket_available_price_index" on "inventory"."ticket" ("event_id", "price_cents") where "status" = 'AVAILABLE'`,
    },
  ],
  properties: {
    id: p.uuid().primary().defaultRaw("gen_random_uuid()"),
    eventId: p.uuid(),
    sectionId: p.uuid(),
    rowLabel: p.string().length(20).default(""),
    seat: p.integer(),
    priceCents: p.bigint("number"),
    currency: p.string().length(3),
    status: p.enum(["AVAILABLE", "SOLD"] as const).default("AVAILABLE"),
    version: p.integer().version().default(1),
    bookingId: p.uuid().nullable(),
    updatedAt: p.datetime().defaultRaw("now()"),
  },
});
