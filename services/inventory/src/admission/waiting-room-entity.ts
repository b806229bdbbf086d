import { defineEntity, p } from "@mikro-orm/core";

/**
 * Events whose holds and bookings need an admission token, as the queue service last said
 * (SetWaitingRoom). Inventory's own durable copy: checking a hold never calls the queue service,
 * so a queue outage cannot open the seats to everyone or stop the admitted from checking out.
 */
export const WaitingRoom = defineEntity({
  name: "WaitingRoom",
  tableName: "waiting_room",
  schema: "inventory",
  properties: {
    eventId: p.uuid().primary(),
    enabled: p.boolean(),
    updatedAt: p.datetime().defaultRaw("now()"),
  },
});
