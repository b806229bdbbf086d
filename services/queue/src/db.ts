import type { DbModule } from "#platform";
import { QueueSettingsRow } from "./entities/queue-settings-entity.ts";
import { Migration20261201075450_Initial } from "./migrations/Migration20261201075450_Initial.ts";

export const queueDb: DbModule = {
  schema: "queue",
  entities: [QueueSettingsRow],
  migrations: [Migration20261201075450_Initial],
};
