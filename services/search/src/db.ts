import type { DbModule } from "#platform";
import { FeedState, SearchDocument, SearchTerm } from "./entities.ts";
import { Migration20261128075758_Initial } from "./migrations/Migration20261128075758_Initial.ts";
import { Migration20261128080000_SearchIndexes } from "./migrations/Migration20261128080000_SearchIndexes.ts";
import { Migration20261201080000_CityKeyUnaccent } from "./migrations/Migration20261201080000_CityKeyUnaccent.ts";
import { Migration20261201104934_VenueTimezone } from "./migrations/Migration20261201104934_VenueTimezone.ts";

export const searchDb: DbModule = {
  schema: "search",
  entities: [SearchDocument, SearchTerm, FeedState],
  migrations: [
    Migration20261128075758_Initial,
    Migration20261128080000_SearchIndexes,
    Migration20261201080000_CityKeyUnaccent,
    Migration20261201104934_VenueTimezone,
  ],
};
