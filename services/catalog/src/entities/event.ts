import { defineEntity, p } from "@mikro-orm/core";
import { Venue } from "./venue.ts";
import { versionedColumns } from "./versioned-columns.ts";

export const eventStatuses = ["SCHEDULED", "ON_SALE", "POSTPONED", "CANCELLED"] as const;
export type EventStatusText = (typeof eventStatuses)[number];

/** One dated performance at a venue. */
export const Event = defineEntity({
  name: "Event",
  tableName: "event",
  schema: "catalog",
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(200),
    description: p.text(),
    category: p.string().length(32),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    venue: p.manyToOne(Venue).index("event_venue_id_index"),
    status: p.enum(eventStatuses),
    onSaleStartsAt: p.datetime().nullable(),
    onSaleEndsAt: p.datetime().nullable(),
    ...versionedColumns(),
  },
  // Upcoming listings walk this index in order and stop after one page.
  indexes: [{ name: "event_starts_at_id_index", properties: ["startsAt", "id"] }],
});
