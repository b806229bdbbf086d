import { defineEntity, p } from "@mikro-orm/core";

/**
 * The change feed: one row per changed event, written in the same transaction as the change,
 * so a follower that replays it in `sequence` order never misses or invents a change.
 */
export const Outbox = defineEntity({
  name: "Outbox",
  tableName: "outbox",
  schema: "catalog",
  properties: {
    sequence: p.bigint("string").primary().autoincrement(),
    // No foreign key: the feed outlives the rows it describes (a removal has a null payload).
    eventId: p.uuid(),
    payload: p.json<Record<string, unknown>>().columnType("jsonb").nullable(),
    createdAt: p.datetime().defaultRaw("now()"),
  },
});
