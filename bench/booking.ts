// `npm run bench:booking`: the booking path through the edge under contention, against
// PostgreSQL baselines measured in the same run. It starts its own stack (fresh database, Redis
// prefix, services, edge) in a child process, drives it from this one over 127.0.0.1 only,
// prints a table, writes bench/results/booking.json and the figures of docs/benchmarks/booking.md.
import { type ChildProcess, spawn } from "node:child_process";
import { randomInt, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { type Answer, BenchClient, closedLoop, percentile } from "./booking-http.ts";
import { pgbenchBaselines } from "./booking-pgbench.ts";
import { machineInfo, printTable, type Row, writeJson, writeMarkdownBlock } from "./booking-report.ts";
import { raceOutcome, seedEvent } from "./booking-seed.ts";

const cfg = {
  raceClients: Number(process.env.BENCH_RACE_CLIENTS ?? 1000),
  raceAttempts: Number(process.env.BENCH_RACE_ATTEMPTS ?? 10_000),
  raceSeats: 1000,
  clients: 64,
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  pgbenchScale: 16,
  pgbenchClients: 16,
};
const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123", name: "Bench" };

async function startStack(): Promise<{ child: ChildProcess; edgeUrl: string; databaseUrl: string }> {
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.build/prof"] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "bench/booking-stack.ts"], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`stack exited with ${code}`)));
  });
  return { child, ...(JSON.parse(first) as { edgeUrl: string; databaseUrl: string }) };
}

async function login(http: BenchClient, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        http.request("POST", "/auth/login", { email: `bench-${i + j}@example.com` }),
      ),
    );
    for (const a of batch) tokens.push((JSON.parse(a.body) as { token: string }).token);
  }
  return tokens;
}

const bookRequest = (http: BenchClient, token: string, eventId: string, ticketIds: string[]) =>
  http.request(
    "POST",
    `/bookings/${eventId}`,
    { ticketIds, paymentDetails: card },
    { authorization: `Bearer ${token}`, "idempotency-key": randomUUID() },
  );

const count = (answers: Answer[], test: (s: number) => boolean) =>
  answers.filter((a) => test(a.status)).length;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function race(http: BenchClient, tokens: string[], databaseUrl: string) {
  const { eventId, ticketIds } = await seedEvent(databaseUrl, cfg.raceSeats);
  const perClient = Math.ceil(cfg.raceAttempts / cfg.raceClients);
  // Every buyer is on the event page when the sale opens, so its connection is open (in production
  // a load balancer keeps the edge's connections; no handshake storm reaches the edge itself).
  const clients = tokens.slice(0, cfg.raceClients);
  await Promise.all(clients.map(() => http.request("GET", "/healthz", undefined)));
  const answers: Answer[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (token) => {
      for (let i = 0; i < perClient; i++) {
        const seats = new Set<string>();
        const want = randomInt(1, 5);
        while (seats.size < want) seats.add(ticketIds[randomInt(0, ticketIds.length)] as string);
        answers.push(await bookRequest(http, token, eventId, [...seats]));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const losers = answers.filter((a) => a.status === 409).map((a) => a.ms);
  const winners = answers.filter((a) => a.status === 201).map((a) => a.ms);
  return {
    attempts: answers.length,
    clients: cfg.raceClients,
    seats: cfg.raceSeats,
    seconds: round(seconds, 2),
    created: count(answers, (s) => s === 201),
    conflicts: losers.length,
    serverErrors: count(answers, (s) => s >= 500 || s === 0),
    otherStatuses: count(answers, (s) => s !== 201 && s !== 409 && s < 500 && s !== 0),
    loserP50Ms: round(percentile(losers, 50)),
    loserP95Ms: round(percentile(losers, 95)),
    winnerP50Ms: round(percentile(winners, 50)),
    winnerP95Ms: round(percentile(winners, 95)),
    ...(await raceOutcome(databaseUrl, eventId)),
  };
}

async function distinctSeats(http: BenchClient, tokens: string[], databaseUrl: string) {
  const { eventId, ticketIds } = await seedEvent(databaseUrl, 40_000);
  let next = 0;
  const { answers, seconds } = await closedLoop(cfg.clients, cfg.seconds * 1000, (client) => {
    const ticket = ticketIds[next++ % ticketIds.length] as string;
    return bookRequest(http, tokens[client] as string, eventId, [ticket]);
  });
  const ok = answers.filter((a) => a.status === 201);
  return {
    clients: cfg.clients,
    seconds: round(seconds, 2),
    bookings: ok.length,
    bookingsPerSecond: round(ok.length / seconds),
    p50Ms: round(
      percentile(
        ok.map((a) => a.ms),
        50,
      ),
    ),
    p95Ms: round(
      percentile(
        ok.map((a) => a.ms),
        95,
      ),
    ),
    serverErrors: count(answers, (s) => s >= 500 || s === 0),
    otherStatuses: count(answers, (s) => s !== 201 && s < 500 && s !== 0),
  };
}

async function hotSeat(http: BenchClient, tokens: string[], databaseUrl: string) {
  const { eventId, ticketIds } = await seedEvent(databaseUrl, 1);
  const body = JSON.stringify({ ticketIds });
  const { answers, seconds } = await closedLoop(cfg.clients, cfg.seconds * 1000, (client) =>
    http.request("POST", `/events/${eventId}/holds`, body, { authorization: `Bearer ${tokens[client]}` }),
  );
  const answered = answers.filter((a) => a.status === 201 || a.status === 409);
  return {
    clients: cfg.clients,
    seconds: round(seconds, 2),
    holdAttempts: answers.length,
    granted: count(answers, (s) => s === 201),
    refused: count(answers, (s) => s === 409),
    holdsPerSecond: round(answered.length / seconds),
    p95Ms: round(
      percentile(
        answered.map((a) => a.ms),
        95,
      ),
    ),
    serverErrors: count(answers, (s) => s >= 500 || s === 0),
  };
}

type Results = {
  when: string;
  machine: ReturnType<typeof machineInfo>;
  race: Awaited<ReturnType<typeof race>>;
  distinctSeats: Awaited<ReturnType<typeof distinctSeats>>;
  hotSeat: Awaited<ReturnType<typeof hotSeat>>;
  baselines: Awaited<ReturnType<typeof pgbenchBaselines>>;
  ratios: { bookingsVsTpcb: number; bookingsVsStatements: number; hotHoldsVsRowUpdate: number };
};

/**
 * Starts the stack, signs the buyers in, warms up (JIT, connection pools, prepared paths) and
 * hands the client and tokens to `run`; stops the stack when it is done.
 */
async function withStack<T>(
  run: (http: BenchClient, tokens: string[], databaseUrl: string) => Promise<T>,
): Promise<T> {
  const stack = await startStack();
  const http = new BenchClient(stack.edgeUrl, cfg.raceClients + 16);
  try {
    const tokens = await login(http, cfg.raceClients);
    const warm = await seedEvent(stack.databaseUrl, 300);
    await Promise.all(
      warm.ticketIds.map((id, i) => bookRequest(http, tokens[i % 64] as string, warm.eventId, [id])),
    );
    return await run(http, tokens, stack.databaseUrl);
  } finally {
    http.close();
    if (stack.child.exitCode === null) {
      stack.child.kill("SIGTERM");
      await new Promise((resolve) => stack.child.once("exit", resolve));
    }
  }
}

async function measure(): Promise<Results> {
  const { raceResult, distinct, hot } = await withStack(async (http, tokens, databaseUrl) => {
    process.stderr.write("race…\n");
    const raceResult = await race(http, tokens, databaseUrl);
    process.stderr.write("distinct seats…\n");
    const distinct = await distinctSeats(http, tokens, databaseUrl);
    process.stderr.write("hot seat…\n");
    const hot = await hotSeat(http, tokens, databaseUrl);
    return { raceResult, distinct, hot };
  });
  process.stderr.write("pgbench baselines…\n");
  const pg = await pgbenchBaselines({
    seconds: cfg.seconds,
    tpcbClients: cfg.pgbenchClients,
    scale: cfg.pgbenchScale,
    hotClients: cfg.clients,
    bookingClients: cfg.clients,
  });
  const results = {
    when: new Date().toISOString(),
    machine: machineInfo(),
    config: cfg,
    race: raceResult,
    distinctSeats: distinct,
    hotSeat: hot,
    baselines: pg,
    ratios: {
      bookingsVsTpcb: round(distinct.bookingsPerSecond / pg.tpcbLike.tps, 3),
      bookingsVsStatements: round(distinct.bookingsPerSecond / pg.bookingStatements.tps, 3),
      hotHoldsVsRowUpdate: round(hot.holdsPerSecond / pg.hotRowUpdate.tps, 2),
    },
  };
  writeJson("bench/results/booking.json", results);
  return results;
}

/** Prints the table and writes the generated block of docs/benchmarks/booking.md. */
function report(r: Results): void {
  const rows: Row[] = [
    {
      metric: "race: attempts / clients / seats",
      value: `${r.race.attempts} / ${r.race.clients} / ${r.race.seats}`,
      target: "≥10,000 / ≥1,000 / 1,000",
      ok: r.race.attempts >= 10_000 && r.race.clients >= 1000,
    },
    {
      metric: "race: tickets sold",
      value: String(r.race.sold),
      target: "= tickets in bookings",
      ok: r.race.sold === r.race.bookedTickets,
    },
    {
      metric: "race: confirmed bookings",
      value: String(r.race.bookings),
      target: "= 201 answers",
      ok: r.race.bookings === r.race.created,
    },
    {
      metric: "race: duplicates",
      value: String(r.race.duplicates + r.race.soldWithoutBooking),
      target: "0",
      ok: r.race.duplicates + r.race.soldWithoutBooking === 0,
    },
    { metric: "race: 5xx", value: String(r.race.serverErrors), target: "0", ok: r.race.serverErrors === 0 },
    {
      metric: "race: loser p95 (ms)",
      value: String(r.race.loserP95Ms),
      target: "≤ 500",
      ok: r.race.loserP95Ms <= 500,
    },
    {
      metric: "bookings/s, distinct seats, 64 clients",
      value: String(r.distinctSeats.bookingsPerSecond),
      target: "",
      ok: null,
    },
    {
      metric: `pgbench tpcb-like tps (${cfg.pgbenchClients} clients, scale ${cfg.pgbenchScale})`,
      value: String(Math.round(r.baselines.tpcbLike.tps)),
      target: "",
      ok: null,
    },
    {
      metric: "bookings/s ÷ tpcb-like tps",
      value: `${round(r.ratios.bookingsVsTpcb * 100)} %`,
      target: "≥ 25 %",
      ok: r.ratios.bookingsVsTpcb >= 0.25,
    },
    {
      metric: `booking's own statements raw, pgbench tps (${cfg.clients} clients)`,
      value: String(Math.round(r.baselines.bookingStatements.tps)),
      target: "",
      ok: null,
    },
    {
      metric: "bookings/s ÷ booking statements tps",
      value: `${round(r.ratios.bookingsVsStatements * 100)} %`,
      target: "≥ 50 %",
      ok: r.ratios.bookingsVsStatements >= 0.5,
    },
    {
      metric: "contended holds/s, one seat, 64 clients",
      value: String(r.hotSeat.holdsPerSecond),
      target: "",
      ok: null,
    },
    {
      metric: "single-row UPDATE tps, 64 clients",
      value: String(Math.round(r.baselines.hotRowUpdate.tps)),
      target: "",
      ok: null,
    },
    {
      metric: "holds/s ÷ UPDATE tps",
      value: `${r.ratios.hotHoldsVsRowUpdate}×`,
      target: "≥ 5×",
      ok: r.ratios.hotHoldsVsRowUpdate >= 5,
    },
  ];
  const table = printTable(rows);
  process.stdout.write(`\n${table}\n`);
  const m = r.machine;
  writeMarkdownBlock(
    "docs/benchmarks/booking.md",
    [
      `Run ${r.when} on ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres}, Redis ${m.redis}` +
        `${m.loadAverage ? `, load average ${m.loadAverage.join(" / ")} (1/5/15 min) at the end` : ""}. ` +
        "Edge and inventory in processes of their own; the load generator in a third.",
      "",
      "| metric | value | target | result |",
      "| --- | --- | --- | --- |",
      ...rows.map(
        (row) =>
          `| ${row.metric} | ${row.value} | ${row.target} | ${row.ok === null ? "" : row.ok ? "ok" : "missed"} |`,
      ),
      "",
      `Race detail: ${r.race.created} bookings created (201), ${r.race.conflicts} refused (409), ${r.race.otherStatuses} other 4xx, ` +
        `winner p50/p95 ${r.race.winnerP50Ms}/${r.race.winnerP95Ms} ms, loser p50/p95 ${r.race.loserP50Ms}/${r.race.loserP95Ms} ms, ` +
        `${r.race.pending} bookings left PENDING, ${r.race.seconds} s.`,
      `Distinct seats: p50/p95 ${r.distinctSeats.p50Ms}/${r.distinctSeats.p95Ms} ms, ${r.distinctSeats.serverErrors} 5xx. ` +
        `Hot seat: ${r.hotSeat.granted} granted, ${r.hotSeat.refused} refused, p95 ${r.hotSeat.p95Ms} ms, ${r.hotSeat.serverErrors} 5xx.`,
    ].join("\n"),
  );
  process.stdout.write("\nwrote bench/results/booking.json and docs/benchmarks/booking.md\n");
}

/** `BENCH_ONLY=distinct|hot|race`: one measure, printed, nothing written (for profiling iterations). */
async function only(which: string): Promise<void> {
  const run = { distinct: distinctSeats, hot: hotSeat, race }[which];
  if (!run) throw new Error(`BENCH_ONLY must be distinct, hot or race, not ${which}`);
  const result = await withStack<unknown>(run);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.env.BENCH_ONLY) {
  await only(process.env.BENCH_ONLY);
  process.exit(0);
}

// `--report-only` re-renders the table and the page from bench/results/booking.json.
const results = process.argv.includes("--report-only")
  ? (JSON.parse(readFileSync("bench/results/booking.json", "utf8")) as Results)
  : await measure();
report(results);
