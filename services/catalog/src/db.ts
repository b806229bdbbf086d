import type { DbModule } from "#platform";
import { Event } from "./entities/event.ts";
import { EventPerformer } from "./entities/event-performer.ts";
import { Outbox } from "./entities/outbox.ts";
import { Performer } from "./entities/performer.ts";
import { Section } from "./entities/section.ts";
import { Venue } from "./entities/venue.ts";
import { Migration20261128075135_Initial } from "./migrations/Migration20261128075135_Initial.ts";

export const catalogDb: DbModule = {
  schema: "catalog",
  entities: [Venue, Section, Performer, Event, EventPerformer, Outbox],
  migrations: [Migration20261128075135_Initial],
};
