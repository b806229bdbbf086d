// One row type per table, derived from the table's MikroORM entity (which is also what the
// migrations are generated and checked from), and the select list that makes PostgreSQL return
// rows in exactly that shape: camelCase aliases, bigint as a JS number. No raw row type and no
// mapper between the statement and the code that uses its rows.
import { BigIntType, type InferEntity } from "@mikro-orm/core";

/** A stored row as the statements select it: every column present (null where nullable). */
export type Row<Entity> = {
  -readonly [K in keyof InferEntity<Entity> as K extends string ? K : never]-?: Exclude<
    InferEntity<Entity>[K],
    undefined
  >;
};

interface EntityMeta {
  meta: { properties: Record<string, { type?: unknown; fieldName?: string }> };
}

/** The column of a property under MikroORM's default naming (`cardLast4` → `card_last4`). */
const columnOf = (property: string) => property.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

/**
 * `alias.column as "property", …` for every property of the entity but `omit`. Money is bigint: selected as
 * float8, exact for any amount below 2^53 cents, so rows need no conversion.
 */
export function selectList(entity: EntityMeta, alias: string, omit: readonly string[] = []): string {
  return Object.entries(entity.meta.properties)
    .filter(([property]) => !omit.includes(property))
    .map(([property, p]) => {
      const column = `${alias}.${p.fieldName ?? columnOf(property)}`;
      return `${column}${p.type instanceof BigIntType ? "::float8" : ""} as "${property}"`;
    })
    .join(", ");
}
