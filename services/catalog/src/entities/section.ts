import { defineEntity, p } from "@mikro-orm/core";
import { Venue } from "./venue.ts";

export interface RowJson {
  label: string;
  seatCount: number;
}

/** One part of a venue's seat map. Rows are stored inline: they are read and written as a whole. */
export const Section = defineEntity({
  name: "Section",
  tableName: "section",
  schema: "catalog",
  properties: {
    id: p.uuid().primary(),
    venue: p.manyToOne(Venue).index("section_venue_id_index"),
    position: p.integer(),
    name: p.string().length(100),
    kind: p.enum(["SEATED", "GENERAL_ADMISSION"] as const),
    capacity: p.integer(),
    rows: p.json<RowJson[]>().columnType("jsonb"),
  },
});
