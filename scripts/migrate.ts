// `npm run migrate`: applies every schema's pending migrations to DATABASE_URL.
import {
  createLogger,
  createOrm,
  env,
  exitWithError,
  isMainModule,
  loadConfig,
  migrate,
  redact,
} from "#platform";
import { dbModules } from "./db-modules.ts";

/** Applies all pending migrations; returns the names applied per schema. */
export async function migrateAll(url: string): Promise<Record<string, string[]>> {
  const applied: Record<string, string[]> = {};
  for (const mod of Object.values(dbModules)) {
    const orm = await createOrm({ url, ...mod, poolMax: 1 });
    try {
      applied[mod.schema] = await migrate(orm, mod.schema);
    } finally {
      await orm.close();
    }
  }
  return applied;
}

if (isMainModule(import.meta.url)) {
  const { DATABASE_URL, LOG_LEVEL } = loadConfig({
    DATABASE_URL: env.url(["postgres", "postgresql"], "postgres://postgres@127.0.0.1:5432/ticketing"),
    LOG_LEVEL: env.string("info"),
  });
  const logger = createLogger("migrate", LOG_LEVEL);
  const applied = await migrateAll(DATABASE_URL).catch((err: Error) =>
    exitWithError(`migrate failed for ${redact(DATABASE_URL)}: ${err.message}`),
  );
  logger.info({ applied }, "migrations applied");
}
