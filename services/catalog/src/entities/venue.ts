import { defineEntity, p } from "@mikro-orm/core";
import { versionedColumns } from "./versioned-columns.ts";

/** A place where events happen; its seat map lives in `section`. */
export const Venue = defineEntity({
  name: "Venue",
  tableName: "venue",
  schema: "catalog",
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(200),
    address: p.string().length(300),
    city: p.string().length(100),
    country: p.string().length(2),
    timezone: p.string().length(64),
    // Sum of the section capacities, kept here so listings need no aggregate.
    capacity: p.integer(),
    ...versionedColumns(),
  },
});
