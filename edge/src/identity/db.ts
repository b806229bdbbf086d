import type { DbModule } from "#platform";
import { Migration20261128074528_Initial } from "./migrations/Migration20261128074528_Initial.ts";
import { AppUser } from "./user-entity.ts";

export const identityDb: DbModule = {
  schema: "identity",
  entities: [AppUser],
  migrations: [Migration20261128074528_Initial],
};
