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

type Timed = (
  clients: number,
  workload: string[],
  env?: Record<string, string>,
  seconds?: number,
) => Promise<string>;

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
    // One pgbench run on the scratch database (`seconds` 0: the workload says how long); its output.
    const timed: Timed = async (clients, workload, env = {}, seconds = options.seconds) =>
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
            ...(seconds ? ["-T", String(seconds)] : []),
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
    const booking = await bookingStatements(db.url, dir, options.bookingClients, options.seconds, timed);
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
  measureSeconds: number,
  timed: Timed,
): Promise<{ tps: number }> {
  const user = randomUUID();
  await migrateAll(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const eventId = randomUUID();
    await client.query(seedSql, [eventId, randomUUID(), clients]);
    const script = join(dir, "booking.sql");
    writeFileSync(script, bookingScript());
    const book = (seconds: number, firstSeat: number) =>
      timed(
        clients,
        [
          "-M",
          "prepared",
          ...(process.env.BENCH_PGBENCH_R ? ["-r"] : []),
          "-f",
          script,
          ...["-D", `user=${user}`, "-D", `event=${eventId}`, "-D", `hash=${"0".repeat(64)}`],
          ...["-D", `i=${firstSeat}`, ...(seconds ? [] : ["-t", "20"])],
        ],
        { PGOPTIONS: "-c plan_cache_mode=force_generic_plan" },
        seconds,
      );
    // A warm-up of 20 bookings per client, then statistics: plans made while the booking and
    // payment tables were still empty scanned them whole (the stack's tables have rows by then too).
    const warm = await book(0, 0);
    await client.query("analyze inventory.ticket, inventory.booking, payments_sandbox.payment");
    const output = await book(measureSeconds, Math.floor(seatsPerClient / 2));
    const processedBy = (out: string) =>
      Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1]);
    const processed = processedBy(warm) + processedBy(output);
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
    if (process.env.BENCH_PGBENCH_R) process.stderr.write(output);
    if (process.env.BENCH_PGBENCH_SCANS) {
      const scans = await client.query(
        "select relname, seq_scan, idx_scan from pg_stat_user_tables where schemaname in ('inventory', 'payments_sandbox')",
      );
      process.stderr.write(`${JSON.stringify(scans.rows)}\n`);
    }
    return { tps: tpsOf(output) };
  } finally {
    await client.end();
  }
}
