import { expect } from "chai";
import { createOrm, migrate } from "#platform";
import { createTestDatabase } from "#platform/testing";
import { dbModules } from "../db-modules.ts";
import { migrateAll } from "../migrate.ts";

describe("migrations", () => {
  it("apply from scratch for every schema and are idempotent", async () => {
    const db = await createTestDatabase("migrations");
    try {
      const first = await migrateAll(db.url);
      expect(Object.keys(first).sort()).to.deep.equal(
        Object.values(dbModules)
          .map((m) => m.schema)
          .sort(),
      );
      for (const names of Object.values(first)) expect(names).to.not.be.empty;
      const second = await migrateAll(db.url);
      for (const names of Object.values(second)) expect(names).to.deep.equal([]);
    } finally {
      await db.drop();
    }
  });

  for (const mod of Object.values(dbModules)) {
    it(`leave the ${mod.schema} schema in step with its entities (nothing left to generate)`, async () => {
      // A database of its own: the diff covers every schema it can see.
      const db = await createTestDatabase(`migrations_${mod.schema}`);
      const orm = await createOrm({ url: db.url, ...mod, poolMax: 1 });
      try {
        await migrate(orm, mod.schema);
        const diff = await orm.schema.getUpdateSchemaMigrationSQL({ wrap: false });
        expect(diff.up.trim(), `${mod.schema}: entities differ from migrations`).to.equal("");
      } finally {
        await orm.close();
        await db.drop();
      }
    });
  }
});
