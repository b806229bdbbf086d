// The edge's layout as a test: feature folders whose REST routes and Connect handlers meet only
// through shared modules, and no hidden per-deps singletons.
import { globSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";

const src = join(import.meta.dirname, "../src");
const files = globSync("**/*.ts", { cwd: src });
const importsOf = (file: string) =>
  [...readFileSync(join(src, file), "utf8").matchAll(/from\s+["']([^"']+)["']/g)].map((m) => m[1] as string);

describe("edge layout", () => {
  it("keeps REST route files and Connect handler files from importing each other", () => {
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter(
          (s) =>
            (/-routes?\.ts$/.test(file) && /-handlers\.ts$/.test(s)) ||
            (/-handlers\.ts$/.test(file) && /-routes?\.ts$/.test(s)),
        )
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).to.deep.equal([]);
  });

  it("has no WeakMap registries: shared loaders and caches travel in EdgeDeps", () => {
    expect(
      files.filter((file) => readFileSync(join(src, file), "utf8").includes("new WeakMap")),
    ).to.deep.equal([]);
  });

  it("is organised in feature folders", () => {
    const folders = new Set(files.filter((f) => f.includes("/")).map((f) => f.split("/")[0]));
    for (const folder of ["view", "search", "booking", "identity", "http", "cache"])
      expect(folders.has(folder), folder).to.equal(true);
    expect(folders.has("routes") || folders.has("api")).to.equal(false);
  });
});
