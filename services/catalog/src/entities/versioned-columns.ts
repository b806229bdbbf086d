import { p } from "@mikro-orm/core";

/**
 * The bookkeeping every editable catalog row carries: an optimistic-lock version (also the
 * cache validator clients see) and creation/update times filled in by the database.
 */
export const versionedColumns = () => ({
  version: p.integer().version(),
  createdAt: p.datetime().defaultRaw("now()"),
  updatedAt: p
    .datetime()
    .defaultRaw("now()")
    .onUpdate(() => new Date()),
});
