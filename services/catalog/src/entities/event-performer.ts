import { defineEntity, p } from "@mikro-orm/core";
import { Event } from "./event.ts";
import { Performer } from "./performer.ts";

/** Who performs at an event, in billing order (`position`). */
export const EventPerformer = defineEntity({
  name: "EventPerformer",
  tableName: "event_performer",
  schema: "catalog",
  properties: {
    event: p.manyToOne(Event).primary(),
    performer: p.manyToOne(Performer).primary().index("event_performer_performer_id_index"),
    position: p.integer(),
  },
  primaryKeys: ["event", "performer"],
});
