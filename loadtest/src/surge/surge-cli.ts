// Runs one surge from a plan file and prints the report as JSON: `node --import tsx
// loadtest/src/surge/surge-cli.ts plan.json > report.json`. The CI test starts it as a child process.
import { readFileSync } from "node:fs";
import { runSurge } from "./surge-driver.ts";
import type { SurgePlan } from "./surge-plan.ts";

const path = process.argv[2];
if (!path) {
  process.stderr.write("usage: surge-cli <plan.json>\n");
  process.exit(1);
}
const plan = JSON.parse(readFileSync(path, "utf8")) as SurgePlan;
try {
  const report = await runSurge(plan);
  process.stdout.write(JSON.stringify(report));
} catch (err) {
  process.stderr.write(`surge failed: ${(err as Error).message}\n`);
  process.exit(1);
}
