// `node --import tsx scripts/make-migration.ts <module> [name]`: diffs a module's entities against
// a scratch database that has its existing migrations applied, and writes the next migration.
import { join } from "node:path";
import { createOrm, exitWithError, migrate } from "#platform";
import { createTestDatabase } from "#platform/testing";
import { dbModules } from "./db-modules.ts";

const [moduleName, name] = process.argv.slice(2);
const mod = moduleName ? dbModules[moduleName] : undefined;
if (!mod) exitWithError(`usage: make-migration <${Object.keys(dbModules).join("|")}> [name]`);
const folder = process.env.MIGRATIONS_DIR;
if (!folder) exitWithError("MIGRATIONS_DIR must name the folder the migration is written to");

const db = await createTestDatabase(`migration_${moduleName}`);
const orm = await createOrm({
  url: db.url,
  schema: mod.schema,
  entities: mod.entities,
  migrations: mod.migrations,
});
try {
  await migrate(orm, mod.schema);
  const result = await orm.migrator.create(
    join(process.cwd(), folder),
    false,
    mod.migrations.length === 0,
    name,
  );
  process.stdout.write(result.fileName ? `wrote ${folder}/${result.fileName}\n` : "no changes\n");
} finally {
  await orm.close();
  await db.drop();
}
