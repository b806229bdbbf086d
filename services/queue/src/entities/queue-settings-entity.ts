import { defineEntity, p } from "@mikro-orm/core";

/**
 * An event's waiting-room settings: durable, because losing them mid-onsale would open the
 * seats to everyone at once. The live queue (numbers, counters, admitted shoppers) is in Redis.
 */
export const QueueSettingsRow = defineEntity({
  name: "QueueSettingsRow",
  tableName: "queue_settings",
  schema: "queue",
  properties: {
    eventId: p.uuid().primary(),
    enabled: p.boolean(),
    maxActiveShoppers: p.integer(),
    admissionsPerMinute: p.integer(),
    shoppingWindowSeconds: p.integer(),
    opensAt: p.datetime(),
    version: p.integer().version(),
    updatedAt: p.datetime().defaultRaw("now()"),
  },
});
