// Hot paths use parameterized SQL through the ORM's Kysely instance: real bind parameters
// (arrays included) and the current transaction when called with a transactional entity manager.
import type { QueryExecutorProvider } from "kysely";
import type { EntityManager, Orm } from "#platform";

export type Executor = QueryExecutorProvider;

/** The executor of `em` (inside its transaction, if any), or of a fresh fork of the ORM. */
export function executor(orm: Orm, em?: EntityManager): Executor {
  return (em ?? orm.em.fork()).getKysely();
}

/** PostgreSQL bigint and numeric come back as strings; money fits a double well below 2^53. */
export const toNumber = (value: string | number | bigint | null | undefined): number =>
  value === null || value === undefined ? 0 : Number(value);

/** timestamptz comes back as text from this driver configuration. */
export const toDate = (value: string | Date): Date => (value instanceof Date ? value : new Date(value));

/** A uuid[] column, whether the driver parsed it or left PostgreSQL's `{a,b}` text. */
export const uuidArray = (value: string[] | string): string[] =>
  Array.isArray(value)
    ? value
    : value
        .replace(/^\{|\}$/g, "")
        .split(",")
        .filter(Boolean);
