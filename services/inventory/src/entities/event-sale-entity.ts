import { defineEntity, p } from "@mikro-orm/core";

/**
 * What inventory knows of an event's sale: the catalog's status and on-sale window, copied at
 * provisioning and kept current from the catalog's change feed (inventory never reads catalog
 * tables). `version` is the catalog event's version: an older copy never overwrites a newer one.
 */
export const EventSale = defineEntity({
  name: "EventSale",
  tableName: "event_sale",
  schema: "inventory",
  properties: {
    eventId: p.uuid().primary(),
    status: p.enum(["SCHEDULED", "ON_SALE", "POSTPONED", "CANCELLED"] as const),
    startsAt: p.datetime(),
    saleStartsAt: p.datetime().nullable(),
    saleEndsAt: p.datetime().nullable(),
    version: p.integer(),
    updatedAt: p.datetime().defaultRaw("now()"),
  },
});

/** How far inventory has applied a change feed (one row per feed). */
export const FeedPosition = defineEntity({
  name: "FeedPosition",
  tableName: "feed_position",
  schema: "inventory",
  properties: {
    feed: p.string().length(50).primary(),
    appliedSequence: p.bigint("bigint"),
  },
});
