// `npm test`: runs every mocha suite (unit and integration against the local PostgreSQL and
// Redis) and ends with one plain line "N passed, N failed" so a run that executed nothing shows.
// Arguments narrow the run: `npm test -- services/search` runs the files under that path.
import { globSync } from "node:fs";
import { join } from "node:path";
import Mocha from "mocha";

const root = join(import.meta.dirname, "..");
const patterns = [
  "platform/test/**/*.test.ts",
  "services/*/test/**/*.test.ts",
  "edge/test/**/*.test.ts",
  "scripts/test/**/*.test.ts",
  "loadtest/test/**/*.test.ts",
  "web/e2e/**/*.test.ts",
];
const filters = process.argv.slice(2);
const files = patterns
  .flatMap((p) => globSync(p, { cwd: root }))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const mocha = new Mocha({ reporter: "spec", timeout: 60_000, slow: 2_000 });
for (const file of files) mocha.addFile(join(root, file));
await mocha.loadFilesAsync();
const runner = mocha.run((failures) => {
  const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
  process.stdout.write(`\n${passes} passed, ${failed} failed${pending ? `, ${pending} skipped` : ""}\n`);
  if (files.length === 0) process.stdout.write(`no test files matched ${filters.join(" ")}\n`);
  process.exitCode = failures > 0 || passes === 0 ? 1 : 0;
  // Open handles (a forgotten client) must not keep CI waiting.
  setTimeout(() => process.exit(), 2000).unref();
});
