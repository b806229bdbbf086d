// The onsale surge in CI: SURGE_BUYERS (5,000) buyers join before opening, SURGE_SEATS (500) seats,
// through a real HAProxy and two edges; the load driver runs as a process of its own. Most waiters
// follow their place on the SSE stream, as the storefront does; SURGE_POLLERS (250) poll instead.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import pg from "pg";
import { createRedis } from "#platform";
import { testRedisUrl } from "#platform/testing";
import { waitingRoomEvent } from "../../edge/test/queue-fixtures.ts";
import { type ReplicatedStack, startReplicatedStack } from "../../edge/test/replicated-stack.ts";
import { login } from "../../edge/test/stack.ts";
import type { SurgePlan, SurgeReport } from "../src/surge/surge-plan.ts";

const root = join(import.meta.dirname, "../..");
const BUYERS = Number(process.env.SURGE_BUYERS ?? 5000);
const SEATS = Number(process.env.SURGE_SEATS ?? 500);
const POLLERS = Math.min(BUYERS, Number(process.env.SURGE_POLLERS ?? 250));

function runDriver(plan: SurgePlan): Promise<SurgeReport> {
  const dir = mkdtempSync(join(tmpdir(), "surge-"));
  const file = join(dir, "plan.json");
  writeFileSync(file, JSON.stringify(plan));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "loadtest/src/surge/surge-cli.ts", file],
      { cwd: root, maxBuffer: 256 * 1024 * 1024, timeout: 150_000 },
      (err, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        if (err) reject(new Error(`the surge driver failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout) as SurgeReport);
      },
    );
  });
}

/** Spearman's rank correlation of two equally long lists of distinct numbers. */
function rankCorrelation(xs: number[], ys: number[]): number {
  const ranks = (v: number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(v.length);
    order.forEach(([, i], k) => {
      r[i] = k;
    });
    return r;
  };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const n = xs.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += ((rx[i] as number) - (ry[i] as number)) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe(`onsale surge: ${BUYERS} buyers, ${SEATS} seats, through HAProxy and 2 edges`, function () {
  this.timeout(240_000);
  let rs: ReplicatedStack;
  before(async () => {
    // Health checks every second (as `npm start` does): every process of this stack shares one
    // machine with the load, and a busy event loop is not a dead edge.
    rs = await startReplicatedStack(
      "surge",
      2,
      // Holds of walk-aways lapse after 5 s, so their seats return within the run.
      { HOLD_SECONDS: "5", EDGE_QUEUE_POLL_MS: "200" },
      { checkIntervalMs: 10_000 },
    );
  });
  after(async () => {
    await rs?.close();
  });

  it("sells every seat once, admits in queue order, and tells everyone still waiting sold_out within 2 s", async () => {
    const { eventId, sectionId } = await waitingRoomEvent(
      { edgeUrl: rs.url },
      { places: SEATS, opensAtMs: Date.now() + 3_600_000, maxActiveShoppers: 200 },
    );
    const userIds = Array.from({ length: BUYERS }, () => randomUUID());
    const buyerTokens = await Promise.all(
      userIds.map((userId) => rs.stack.edge.deps.tokens.sign({ userId, role: "user" })),
    );
    const report = await runDriver({
      url: rs.url,
      eventId,
      sectionId,
      buyerTokens,
      adminToken: await login(rs.url, "admin@example.com"),
      settings: { maxActiveShoppers: 200, admissionsPerMinute: 60_000, shoppingWindowSeconds: 20 },
      watchers: BUYERS - POLLERS,
      pollMs: 1000,
      retryMs: 500,
      abandonRate: 0.1,
      replayRate: 0.1,
      cheatRate: 0.02,
      concurrency: 128,
      deadlineMs: 120_000,
    });
    expect(report.timedOut, "the surge did not finish in time").to.equal(false);
    if (process.env.SURGE_REPORT) writeFileSync(process.env.SURGE_REPORT, JSON.stringify(report, null, 1));
    expect(report.serverErrors.slice(0, 10), `${report.serverErrors.length} 5xx answers`).to.deep.equal([]);
    expect(
      report.networkErrors.slice(0, 10),
      `${report.networkErrors.length} broken connections`,
    ).to.deep.equal([]);
    const { buyers } = report;

    // Everyone joined before opening: the pre-queue, no position yet.
    expect(buyers.filter((b) => b.joined.status !== 200 || b.joined.state !== "waiting")).to.deep.equal([]);
    expect(buyers.every((b) => b.joined.position === 0)).to.equal(true);

    // Sold = seats, no seat twice.
    const sold = buyers.flatMap((b) => b.bookings.flatMap((k) => k.ticketIds));
    expect(new Set(sold).size, "a seat sold twice").to.equal(sold.length);
    expect(sold.length).to.equal(SEATS);
    const db = new pg.Client({ connectionString: rs.stack.databaseUrl });
    await db.connect();
    let bookers: string[];
    try {
      const { rows } = await db.query<{ n: number }>(
        "select count(*)::int as n from inventory.ticket where event_id = $1 and status = 'SOLD'",
        [eventId],
      );
      expect(rows[0]?.n).to.equal(SEATS);
      bookers = (
        await db.query<{ user_id: string }>(
          "select distinct user_id from inventory.booking where event_id = $1 and status = 'CONFIRMED'",
          [eventId],
        )
      ).rows.map((r) => r.user_id);
    } finally {
      await db.end();
    }

    // Nobody skipped the queue: cheaters were refused, every buyer was admitted, shoppers saw no odd answer.
    expect(buyers.flatMap((b) => b.cheats).filter((s) => s !== 403)).to.deep.equal([]);
    expect(buyers.flatMap((b) => b.oddAnswers)).to.deep.equal([]);
    const redis = createRedis(testRedisUrl, { keyPrefix: rs.stack.redisPrefix });
    let numbers: Record<string, string>;
    let admitted: Record<string, string>;
    let serving: number;
    try {
      const k = (name: string) => `queue:{${eventId}}:${name}`;
      [numbers, admitted, serving] = await Promise.all([
        redis.hgetall(k("users")),
        redis.hgetall(k("admitted")),
        redis.get(k("serving")).then(Number),
      ]);
    } finally {
      redis.disconnect();
    }
    for (const user of bookers)
      expect(admitted[user], `booking by ${user} without admission`).to.be.a("string");

    // Admission follows queue numbers: exactly 1..serving admitted, in number order.
    const byNumber = Object.entries(numbers)
      .map(([user, n]) => ({ user, n: Number(n) }))
      .sort((a, b) => a.n - b.n);
    expect(byNumber.map((x) => x.n)).to.deep.equal(Array.from({ length: BUYERS }, (_, i) => i + 1));
    const admittedNumbers = byNumber.filter((x) => admitted[x.user] !== undefined).map((x) => x.n);
    expect(admittedNumbers).to.deep.equal(Array.from({ length: serving }, (_, i) => i + 1));
    const windows = byNumber.slice(0, serving).map((x) => Number(admitted[x.user]));
    for (let i = 1; i < windows.length; i++) expect(windows[i]).to.be.at.least(windows[i - 1] as number);
    // The pre-queue was shuffled: numbers do not follow the order of joining.
    const joinOrder = userIds.map((_, i) => i);
    const numberOf = userIds.map((u) => Number(numbers[u]));
    expect(Math.abs(rankCorrelation(joinOrder, numberOf))).to.be.below(0.1);

    // Replayed bookings got the first answer, also one sent after the shopping window ended (the
    // booking finished at its very end, so the token has expired): the buyer paid.
    const replays = buyers.flatMap((b) => b.replays);
    expect(replays.filter((r) => r.status !== 201 || r.first !== r.second)).to.deep.equal([]);

    // Sold out reaches everyone still waiting within 2 s of the last sale; every stream saw its final state.
    const lastSale = Math.max(...buyers.flatMap((b) => b.bookings.map((k) => k.at)));
    const soldOut = buyers.filter((b) => b.states.at(-1)?.state === "sold_out");
    expect(soldOut.length).to.be.greaterThan(BUYERS / 2);
    const late = soldOut.filter((b) =>
      b.watcher
        ? (b.states.at(-1)?.at ?? Number.POSITIVE_INFINITY) > lastSale + 2000
        : b.lastWaitingAt > lastSale + 2000,
    );
    expect(
      late.map((b) => b.index),
      "told sold_out later than 2 s after the last sale",
    ).to.deep.equal([]);
    const watchers = buyers.filter((b) => b.watcher);
    expect(
      watchers.filter(
        (b) => !b.streamEnded || !["admitted", "sold_out"].includes(b.states.at(-1)?.state ?? ""),
      ),
    ).to.deep.equal([]);
    expect(
      buyers.filter((b) => !["admitted", "sold_out"].includes(b.states.at(-1)?.state ?? "")),
    ).to.deep.equal([]);
  });
});
