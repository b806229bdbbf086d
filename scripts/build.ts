// `npm run build`: bundles each process's entry point into dist/ as plain JavaScript (packages
// stay in node_modules), so services run on Node alone: no TypeScript loader in the request path.
// Under the booking benchmark the tsx loader cost 5–9 % of every process's CPU.
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { isMainModule } from "#platform";
import { buildWeb, initialJsBudget, kB } from "./build-web.ts";

const root = join(import.meta.dirname, "..");

/** Every entry point a deployment or `npm start` runs. */
export const entries = [
  "services/catalog/src/main.ts",
  "services/search/src/main.ts",
  "services/inventory/src/main.ts",
  "services/queue/src/main.ts",
  "edge/src/main.ts",
  "scripts/migrate.ts",
  "services/search/src/reindex-cli.ts",
] as const;

export type Entry = (typeof entries)[number];

/** Where an entry point's bundle is, relative to the repository root. */
export const builtPath = (entry: Entry): string => join("dist", entry.replace(/\.ts$/, ".js"));

/**
 * Builds into a fresh directory beside dist/ and swaps it in by renaming, so a process that
 * another build or benchmark is starting never finds dist/ half-written.
 */
export async function buildAll(): Promise<void> {
  const next = mkdtempSync(join(root, ".dist-"));
  try {
    await build({
      absWorkingDir: root,
      entryPoints: [...entries],
      outdir: next,
      outbase: ".",
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node24",
      packages: "external",
      sourcemap: true,
      // Class names stay as written: the ORM derives entity and migration names from them.
      keepNames: true,
      logLevel: "warning",
    });
    const old = `${next}-old`;
    try {
      renameSync(join(root, "dist"), old);
    } catch {
      // no dist/ yet
    }
    renameSync(next, join(root, "dist"));
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) {
  const started = performance.now();
  await buildAll();
  process.stdout.write(
    `built ${entries.length} entry points into dist/ in ${Math.round(performance.now() - started)} ms\n`,
  );
  const web = await buildWeb();
  process.stdout.write(
    `built the storefront into web/dist: home page initial JS ${kB(web.gzipBytes)} gzip (budget ${kB(initialJsBudget)})\n`,
  );
}
