// Crash recovery against real processes: the inventory service runs as a child process, is
// SIGKILLed at each step of a booking, and a fresh process (same database, same Redis, the same
// sandbox provider's records) must settle what it left: seats and booking consistent, the charge
// captured exactly when the booking is CONFIRMED and voided otherwise.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { asCaller } from "#platform";
import { signedClient, testIdentityEnv, testRedisUrl } from "#platform/testing";
import type { BookingStep } from "../../src/bookings/booking-service.ts";
import { createInventoryFixture, goodCard, type InventoryFixture, user } from "../fixture.ts";

const entry = join(import.meta.dirname, "stopping-inventory.ts");

interface Inventory {
  child: ChildProcess;
  port: number;
  /** Resolves with the booking id once the flow announced it stopped at its step. */
  stopped: Promise<string>;
}

describe("inventory: SIGKILLed at each booking step, a restarted process settles the booking", function () {
  this.timeout(120_000);
  let fx: InventoryFixture;
  const children = new Set<ChildProcess>();
  before(async () => {
    fx = await createInventoryFixture("crash");
  });
  after(async () => {
    for (const child of children) child.kill("SIGKILL");
    await fx?.close();
  });

  function start(stopAt?: BookingStep): Promise<Inventory> {
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      env: {
        ...process.env,
        ...testIdentityEnv(),
        DATABASE_URL: fx.databaseUrl,
        REDIS_URL: testRedisUrl,
        REDIS_KEY_PREFIX: fx.prefix,
        HOST: "127.0.0.1",
        PORT: "0",
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
        BOOKING_LEASE_MS: "1000",
        RECONCILE_AFTER_SECONDS: "1",
        RECONCILE_INTERVAL_SECONDS: "1",
        ...(stopAt ? { CRASH_TEST_STOP_AT: stopAt } : {}),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.add(child);
    child.once("exit", () => children.delete(child));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    let stop: (id: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    return new Promise((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`inventory exited (${code}) before it was ready`)));
      lines.on("line", (line) => {
        const message = JSON.parse(line) as { port?: number; bookingId?: string };
        if (message.port) resolve({ child, port: message.port, stopped });
        if (message.bookingId) stop(message.bookingId);
      });
    });
  }

  async function kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** The booking, its tickets and its payment as the stores hold them. */
  async function state(eventId: string, ticketIds: string[], bookingId: string) {
    const payments = await fx.gateway.payments();
    return {
      booking: (await fx.inventory.bookings.findById(bookingId))?.status,
      payment: payments.find((p) => p.key === bookingId)?.state,
      tickets: (await fx.inventory.tickets.find(eventId, ticketIds)).map((t) => t.status),
    };
  }

  async function crashAt(step: BookingStep) {
    const { eventId, ticketIds } = await fx.seed(2);
    const doomed = await start(step);
    const client = signedClient(InventoryService, `http://127.0.0.1:${doomed.port}`);
    const call = client.bookTickets(
      {
        eventId,
        ticketIds,
        idempotencyKey: `crash-${step}`,
        payment: {
          cardNumber: goodCard.number,
          expMonth: goodCard.expMonth,
          expYear: goodCard.expYear,
          cvc: goodCard.cvc,
          name: goodCard.name,
        },
      },
      asCaller(user()),
    );
    // The call itself never ends well: its connection dies with the process.
    const ended = call.then(
      () => Promise.reject(new Error(`the booking finished instead of stopping at ${step}`)),
      (err: Error) => Promise.reject(new Error(`the booking failed before ${step}: ${err.message}`)),
    );
    const bookingId = await Promise.race([doomed.stopped, ended]);
    ended.catch(() => undefined);
    await kill(doomed.child);
    const left = await state(eventId, ticketIds, bookingId);
    const restarted = await start();
    try {
      for (let i = 0; i < 150; i++) {
        if ((await fx.inventory.bookings.findById(bookingId))?.status !== "PENDING") break;
        await sleep(100);
      }
      return { left, settled: await state(eventId, ticketIds, bookingId) };
    } finally {
      await kill(restarted.child); // its state is what was just read; nothing to drain
    }
  }

  const cases: [BookingStep, string, Awaited<ReturnType<typeof state>>, Awaited<ReturnType<typeof state>>][] =
    [
      [
        "leased",
        "before authorizing: FAILED, nothing charged, seats free",
        { booking: "PENDING", payment: undefined, tickets: ["AVAILABLE", "AVAILABLE"] },
        { booking: "FAILED", payment: undefined, tickets: ["AVAILABLE", "AVAILABLE"] },
      ],
      [
        "authorized",
        "after authorize: FAILED, the authorization voided, seats free",
        { booking: "PENDING", payment: "AUTHORIZED", tickets: ["AVAILABLE", "AVAILABLE"] },
        { booking: "FAILED", payment: "VOIDED", tickets: ["AVAILABLE", "AVAILABLE"] },
      ],
      [
        "committed",
        "after the sale: CONFIRMED, captured, seats sold",
        { booking: "PENDING", payment: "AUTHORIZED", tickets: ["SOLD", "SOLD"] },
        { booking: "CONFIRMED", payment: "CAPTURED", tickets: ["SOLD", "SOLD"] },
      ],
      [
        "captured",
        "after the capture: CONFIRMED, captured once, seats sold",
        { booking: "PENDING", payment: "CAPTURED", tickets: ["SOLD", "SOLD"] },
        { booking: "CONFIRMED", payment: "CAPTURED", tickets: ["SOLD", "SOLD"] },
      ],
    ];
  for (const [step, outcome, left, settled] of cases) {
    it(`killed ${outcome}`, async () => {
      const result = await crashAt(step);
      expect(result.left, "what the killed process left").to.deep.equal(left);
      expect(result.settled, "after the restart").to.deep.equal(settled);
    });
  }
});
