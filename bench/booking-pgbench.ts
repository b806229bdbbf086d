// Same-run PostgreSQL baselines for the booking benchmark, in a scratch database of their own:
// `pgbench -b tpcb-like`, and a single-row UPDATE hammered by many clients.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { createTestDatabase } from "#platform/testing";

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
}) {
  const db = await createTestDatabase("bench_pgbench");
  const dir = mkdtempSync(join(tmpdir(), "pgbench-"));
  const conn = connectionArgs(db.url);
  try {
    await run("pgbench", [...conn, "-i", "-q", "-s", String(options.scale), db.name], { maxBuffer: 1 << 24 });
    // One timed pgbench run on the scratch database; returns its output.
    const timed = async (clients: number, workload: string[]) =>
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
          { maxBuffer: 1 << 24 },
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
    return {
      tpcbLike: {
        tps: tpsOf(tpcb),
        clients: options.tpcbClients,
        seconds: options.seconds,
        scale: options.scale,
      },
      hotRowUpdate: { tps: tpsOf(hot), clients: options.hotClients, seconds: options.seconds },
    } satisfies Record<string, PgbenchResult>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}
