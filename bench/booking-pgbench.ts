// Same-run PostgreSQL baselines for the booking benchmark, in a scratch database of their own:
// `pgbench -b tpcb-like`, a single-row UPDATE hammered by many clients, and the booking's own
// statements (bench/booking-statements.ts) on the migrated schema with one fresh seat each.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { createTestDatabase } from "#platform/testing";
import { migrateAll } from "../scripts/migrate.ts";
import { bookingScript, seatsPerClient, seedSql } from "./booking-statements.ts";

const run = promisify(execFile);

export interface PgbenchResult {
  tps: number;
  clients: number;
  seconds: number;
  scale?: number;
}

function tpsOf(output: string): number {
  const match =
    /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ?? /tps = ([\d.]+)/.exec(output);
  if (!match?.[1]) throw new Error(`pgbench printed no tps:\n${output}`);
  return Number(match[1]);
}

function connectionArgs(url: string): string[] {
  const u = new URL(url);
  return ["-h", u.hostname, "-p", u.port || "5432", "-U", decodeURIComponent(u.username || "postgres")];
}

export async function pgbenchBaselines(options: {
  seconds: number;
  tpcbClients: number;
  scale: number;
  hotClients: number;
  bookingClients: number;
}) {
  const db = await createTestDatabase("bench_pgbench");
  const dir = mkdtempSync(join(tmpdir(), "pgbench-"));
  const conn = connectionArgs(db.url);
  try {
    await run("pgbench", [...conn, "-i", "-q", "-s", String(options.scale), db.name], { maxBuffer: 1 << 24 });
    // One timed pgbench run on the scratch database; returns its output.
    const timed = async (clients: number, workload: string[], env: Record<string, string> = {}) =>
      (
        await run(
          "pgbench",
          [
            ...conn,
            "-n",
            ...workload,
            "-c",
            String(clients),
            "-j",
            "2",
            "-T",
            String(options.seconds),
            db.name,
          ],
          { maxBuffer: 1 << 24, env: { ...process.env, ...env } },
        )
      ).stdout;
    const tpcb = await timed(options.tpcbClients, ["-b", "tpcb-like"]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("create table hot_seat (id int primary key, n bigint not null)");
    await client.query("insert into hot_seat values (1, 0)");
    await client.end();
    const script = join(dir, "hot-update.sql");
    writeFileSync(script, "UPDATE hot_seat SET n = n + 1 WHERE id = 1;\n");
    const hot = await timed(options.hotClients, ["-f", script]);
    const booking = await bookingStatements(db.url, dir, options.bookingClients, timed);
    return {
      tpcbLike: {
        tps: tpsOf(tpcb),
        clients: options.tpcbClients,
        seconds: options.seconds,
        scale: options.scale,
      },
      hotRowUpdate: { tps: tpsOf(hot), clients: options.hotClients, seconds: options.seconds },
      bookingStatements: { tps: booking.tps, clients: options.bookingClients, seconds: options.seconds },
    } satisfies Record<string, PgbenchResult>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

/**
 * The booking's statements run raw: the schema migrated as for the stack, one event with
 * `seatsPerClient` fresh seats per client, analyzed, then the custom script with prepared
 * statements planned once (inventory's `plan_cache_mode`). Checks afterwards that every
 * transaction made one CONFIRMED booking and sold one seat, so the rate counts only real bookings.
 */
async function bookingStatements(
  url: string,
  dir: string,
  clients: number,
  timed: (clients: number, workload: string[], env?: Record<string, string>) => Promise<string>,
): Promise<{ tps: number }> {
  await migrateAll(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const eventId = randomUUID();
    await client.query(seedSql, [eventId, randomUUID(), clients]);
    await client.query("analyze inventory.ticket, inventory.booking, payments_sandbox.payment");
    const script = join(dir, "booking.sql");
    writeFileSync(script, bookingScript());
    const output = await timed(
      clients,
      [
        "-M",
        "prepared",
        "-f",
        script,
        "-D",
        `user=${randomUUID()}`,
        "-D",
        `event=${eventId}`,
        "-D",
        `hash=${"0".repeat(64)}`,
        "-D",
        "i=0",
      ],
      { PGOPTIONS: "-c plan_cache_mode=force_generic_plan" },
    );
    const processed = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1]);
    const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]?.n);
    const confirmed = await count("select count(*) as n from inventory.booking where status = 'CONFIRMED'");
    const sold = await count("select count(*) as n from inventory.ticket where status = 'SOLD'");
    const captured = await count(
      "select count(*) as n from payments_sandbox.payment where state = 'CAPTURED'",
    );
    if (!(processed > 0) || confirmed !== processed || sold !== processed || captured !== processed) {
      throw new Error(
        `the booking script did not book one seat per transaction (${processed} transactions, ` +
          `${confirmed} confirmed, ${sold} sold, ${captured} captured; ${seatsPerClient} seats per client):\n${output}`,
      );
    }
    return { tps: tpsOf(output) };
  } finally {
    await client.end();
  }
}
