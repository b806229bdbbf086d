import { defineEntity, p } from "@mikro-orm/core";

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
    version: p.integer().version(),
    createdAt: p.datetime().defaultRaw("now()"),
    updatedAt: p
      .datetime()
      .defaultRaw("now()")
      .onUpdate(() => new Date()),
  },
});
