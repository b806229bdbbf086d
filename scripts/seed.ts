// `npm run seed -- --events N [--seed S] [--tickets N] [--reset]`: loads the demo data set.
import { parseArgs } from "node:util";
import { env, exitWithError, isMainModule, loadConfig } from "#platform";
import { migrateAll } from "./migrate.ts";
import { seedDatabase } from "./seed/load.ts";

const usage = "usage: npm run seed -- --events N [--seed S] [--tickets MAX_TICKETS] [--reset]";

function positiveInt(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    exitWithError(
      `--${name} must be an integer from 1 to ${max.toLocaleString("en-US")}, got "${value}"\n${usage}`,
    );
  }
  return Number(value);
}

if (isMainModule(import.meta.url)) {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        events: { type: "string" },
        seed: { type: "string" },
        tickets: { type: "string" },
        reset: { type: "boolean" },
      },
      strict: true,
    }));
  } catch (err) {
    exitWithError(`${(err as Error).message}\n${usage}`);
  }
  if (values.events === undefined) exitWithError(`--events is required\n${usage}`);
  const events = positiveInt(values.events as string, "events", 0, 20_000_000);
  const seed = positiveInt(values.seed as string | undefined, "seed", 42, 2 ** 31);
  const ticketBudget = positiveInt(values.tickets as string | undefined, "tickets", 2_000_000, 50_000_000);
  const { DATABASE_URL } = loadConfig({
    DATABASE_URL: env.url(["postgres", "postgresql"], "postgres://postgres@127.0.0.1:5432/ticketing"),
  });
  try {
    await migrateAll(DATABASE_URL);
    const summary = await seedDatabase(DATABASE_URL, {
      events,
      seed,
      ticketBudget,
      reset: Boolean(values.reset),
    });
    process.stderr.write(
      `seeded ${summary.events.toLocaleString("en-US")} events, ${summary.venues} venues, ${summary.performers} performers, ` +
        `${summary.tickets.toLocaleString("en-US")} tickets for ${summary.ticketedEvents} on-sale events ` +
        `(sales open ${summary.saleLeadDays.toFixed(1)} days before an event) in ${summary.seconds.toFixed(1)} s\n`,
    );
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === "23505")
      exitWithError("seed: the database already holds demo data; pass --reset to replace it");
    exitWithError(`seed failed: ${e.message ?? String(err)}`);
  }
}
