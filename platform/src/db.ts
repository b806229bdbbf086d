import type { Constructor } from "@mikro-orm/core";
import { type Migration, Migrator } from "@mikro-orm/migrations";
import { type EntityManager, MikroORM, type Options } from "@mikro-orm/postgresql";

export type { EntityManager };
export type Orm = MikroORM;

/** What a service declares about its tables: its schema, entities and ordered migrations. */
export interface DbModule {
  schema: string;
  entities: NonNullable<Options["entities"]>;
  migrations: Constructor<Migration>[];
}

export interface OrmOptions {
  /** Primary (writes). */
  url: string;
  /** Read replica; reads that tolerate replica lag go here when set. */
  readUrl?: string | undefined;
  /** The service's own PostgreSQL schema. */
  schema: string;
  entities: Options["entities"];
  migrations: Constructor<Migration>[];
  poolMax?: number;
}

/**
 * One ORM per service process. Handlers fork its entity manager per RPC (`orm.em.fork()`), so no
 * identity map is shared between calls.
 */
export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.url,
    ...(options.readUrl ? { replicas: [{ name: "read", clientUrl: options.readUrl }] } : {}),
    preferReadReplicas: false,
    schema: options.schema,
    entities: options.entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      schema: options.schema,
      tableName: "mikro_orm_migrations",
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    driverOptions: { connectionTimeoutMillis: 3000 },
    debug: false,
  });
}

/** Applies pending migrations of the service's schema, creating the schema first. */
export async function migrate(orm: MikroORM, schema: string): Promise<string[]> {
  await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}
