import { defineEntity, p } from "@mikro-orm/core";
import { versionedColumns } from "./versioned-columns.ts";

/** An artist, band or team. */
export const Performer = defineEntity({
  name: "Performer",
  tableName: "performer",
  schema: "catalog",
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(200),
    bio: p.text(),
    genre: p.string().length(50),
    ...versionedColumns(),
  },
});
