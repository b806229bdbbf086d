// `npm start`: the whole system on one machine. Migrates, seeds demo data into an empty database,
// starts catalog, search, inventory and the edge, and prints the URL once GET /healthz answers.
// With no DATABASE_URL it runs an embedded PostgreSQL under .data/. Ctrl-C stops everything.
import { join } from "node:path";
import pg from "pg";
import { createRedis, env, exitWithError, freePort, loadConfig, redact, redisReady } from "#platform";
import { buildAll } from "./build.ts";
import { type EmbeddedDb, startEmbeddedDb } from "./local/embedded-db.ts";
import { type Child, startChild, stopChildren } from "./local/processes.ts";
import { migrateAll } from "./migrate.ts";
import { countEvents, seedDatabase } from "./seed/load.ts";

const [major] = process.versions.node.split(".").map(Number);
if ((major ?? 0) < 24)
  exitWithError(`Node.js 24 or newer is required (this is ${process.version}); see .nvmrc`);

const root = join(import.meta.dirname, "..");
const dataDir = join(root, ".data");
const say = (line: string) => process.stdout.write(`${line}\n`);

const config = loadConfig({
  PORT: env.int(8080, 1, 65535),
  DATABASE_URL: env.optionalUrl(["postgres", "postgresql"]),
  REDIS_URL: env.url(["redis", "rediss"], "redis://127.0.0.1:6379"),
  SEED_EVENTS: env.int(20_000, 0, 20_000_000),
  LOG_LEVEL: env.oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
});

let embedded: EmbeddedDb | undefined;
let children: Child[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await stopChildren(children);
    await embedded?.stop().catch(() => {});
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function checkRedis(url: string): Promise<void> {
  const redis = createRedis(url, { lazyConnect: false });
  try {
    await redisReady(redis, 2000);
  } catch {
    exitWithError(
      `Redis is not answering at ${redact(url)}: start one (apt-get install redis-server && redis-server --daemonize yes) or set REDIS_URL`,
    );
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  await checkRedis(config.REDIS_URL);
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedDb(dataDir, "ticketing", say);
    databaseUrl = embedded.url;
    say(`embedded PostgreSQL running (data in .data/pg)`);
  }
  try {
    await migrateAll(databaseUrl);
  } catch (err) {
    exitWithError(`cannot migrate DATABASE_URL ${redact(databaseUrl)}: ${(err as Error).message}`);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const existing = await countEvents(client).finally(() => client.end());
  if (existing === 0 && config.SEED_EVENTS > 0) {
    say(`empty database: seeding ${config.SEED_EVENTS.toLocaleString("en-US")} demo events`);
    const summary = await seedDatabase(databaseUrl, {
      events: config.SEED_EVENTS,
      seed: 42,
      ticketBudget: 800_000,
    });
    say(
      `seeded ${summary.events.toLocaleString("en-US")} events and ${summary.tickets.toLocaleString("en-US")} tickets in ${summary.seconds.toFixed(1)} s`,
    );
  }

  await buildAll();
  const ports = {
    catalog: await freePort(50051),
    search: await freePort(50052),
    inventory: await freePort(50053),
  };
  const addr = (port: number) => `http://127.0.0.1:${port}`;
  const base = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: config.REDIS_URL,
    LOG_LEVEL: config.LOG_LEVEL,
    CATALOG_SERVICE_ADDR: addr(ports.catalog),
    SEARCH_SERVICE_ADDR: addr(ports.search),
    INVENTORY_SERVICE_ADDR: addr(ports.inventory),
    AUTH_MODE: "local",
    PAYMENT_PROVIDER: process.env.PAYMENT_PROVIDER ?? "sandbox",
  };
  const logDir = join(dataDir, "logs");
  children = [
    startChild(
      root,
      "catalog",
      "services/catalog/src/main.ts",
      { ...base, PORT: String(ports.catalog) },
      logDir,
    ),
    startChild(
      root,
      "inventory",
      "services/inventory/src/main.ts",
      { ...base, PORT: String(ports.inventory) },
      logDir,
    ),
    startChild(
      root,
      "search",
      "services/search/src/main.ts",
      { ...base, PORT: String(ports.search) },
      logDir,
    ),
    startChild(root, "edge", "edge/src/main.ts", { ...base, PORT: String(config.PORT) }, logDir),
  ];
  for (const child of children) {
    child.process.once("exit", (code, signal) => {
      if (stopping) return;
      say(
        `${child.name} stopped unexpectedly (${signal ?? `exit ${code}`}); last output:\n  ${child.tail.join("\n  ")}`,
      );
      void shutdown(1);
    });
  }

  const url = `http://localhost:${config.PORT}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      say(`\nTicketing is up: ${url}   (logs in .data/logs, Ctrl-C to stop)`);
      say(`  curl ${url}/events?pageSize=3`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  say("the services did not become healthy within 60 s; see .data/logs");
  await shutdown(1);
}

main().catch(async (err) => {
  process.stderr.write(`start failed: ${(err as Error).message}\n`);
  await shutdown(1);
});
