import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { QueueService, QueueState } from "#gen/ticketing/queue/v1/queue_pb.js";
import { freePort } from "#platform";
import { connectErrorOf, signedClient } from "#platform/testing";
import { loadQueueConfig } from "../src/config.ts";
import { build as buildQueue } from "../src/main.ts";
import { as, type QueueFixture, startQueueFixture } from "./fixture.ts";

const root = join(import.meta.dirname, "../../..");
const payment = { cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2030, cvc: "123", name: "Fan" };

/** The queue service as its own process, the way `npm start` and Kubernetes run it. */
function startQueueProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "services/queue/src/main.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: "ignore",
  });
}

async function waitForQueue(url: string, eventId: string): Promise<void> {
  const client = signedClient(QueueService, url);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      await client.getQueueSnapshot({ eventId }, { timeoutMs: 500 });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("the queue process did not answer");
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

describe("queue service: faults", function () {
  this.timeout(90_000);
  let f: QueueFixture;
  before(async () => {
    f = await startQueueFixture("queue_faults");
  });
  after(async () => {
    await f?.close();
  });

  it("a killed and restarted queue process loses no one's place, and admission carries on", async () => {
    const { eventId } = await f.room({ places: 100, maxActiveShoppers: 5 });
    const port = await freePort(0);
    const url = `http://127.0.0.1:${port}`;
    const env = { ...f.queueEnv, PORT: String(port) };
    let child = startQueueProcess(env);
    try {
      await waitForQueue(url, eventId);
      const client = signedClient(QueueService, url);
      const fans = Array.from({ length: 12 }, (_, i) => `fan-${i}-${randomUUID()}`);
      const before = [];
      for (const u of fans) before.push((await client.joinQueue({ eventId }, as(u))).status?.number);
      // Its loop admits the first five.
      const deadline = Date.now() + 5000;
      while ((await client.getQueueSnapshot({ eventId })).snapshot?.serving !== 5n && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const admittedToken = (await client.getQueueStatus({ eventId }, as(fans[0] as string))).status
        ?.admissionToken;

      await kill(child, "SIGKILL");
      child = startQueueProcess(env);
      await waitForQueue(url, eventId);
      const after = [];
      for (const u of fans) after.push((await client.joinQueue({ eventId }, as(u))).status?.number);
      expect(after).to.deep.equal(before);
      const first = (await client.getQueueStatus({ eventId }, as(fans[0] as string))).status;
      expect(first?.state).to.equal(QueueState.ADMITTED);
      expect(first?.admissionToken).to.equal(admittedToken);
      expect((await client.getQueueStatus({ eventId }, as(fans[5] as string))).status?.position).to.equal(1n);
      await client.finishShopping({ eventId }, as(fans[0] as string));
      const resumed = Date.now() + 5000;
      while ((await client.getQueueSnapshot({ eventId })).snapshot?.serving !== 6n && Date.now() < resumed)
        await new Promise((r) => setTimeout(r, 50));
      expect((await client.getQueueStatus({ eventId }, as(fans[5] as string))).status?.state).to.equal(
        QueueState.ADMITTED,
      );
    } finally {
      await kill(child, "SIGTERM");
    }
  });

  it("Redis down: joining fails closed with Unavailable and a clear message; the admitted still check out", async () => {
    const { eventId, ticketIds } = await f.room({ places: 5 });
    await f.queue.joinQueue({ eventId }, as("early"));
    await f.service.loop.tick(true);
    const token = (await f.queue.getQueueStatus({ eventId }, as("early"))).status?.admissionToken as string;
    expect(token).to.not.equal("");

    const cut = await buildQueue(loadQueueConfig({ ...f.queueEnv, REDIS_URL: "redis://127.0.0.1:1" }), {
      manualLoop: true,
    });
    try {
      const client = signedClient(QueueService, cut.url);
      const err = await connectErrorOf(client.joinQueue({ eventId }, as("late")));
      expect(err.code).to.equal(Code.Unavailable);
      expect(err.rawMessage).to.match(/waiting room is unavailable/);
    } finally {
      await cut.close();
    }
    // The token needs neither the queue nor its store: signature and expiry are checked with the public key.
    await f.service.close();
    const hold = await f.inventory.holdTickets(
      { eventId, ticketIds: ticketIds.slice(0, 1), admissionToken: token },
      as("early"),
    );
    const { booking } = await f.inventory.bookTickets(
      {
        eventId,
        ticketIds: hold.ticketIds,
        holdId: hold.holdId,
        payment,
        idempotencyKey: randomUUID(),
        admissionToken: token,
      },
      as("early"),
    );
    expect(booking?.ticketIds).to.deep.equal(hold.ticketIds);
  });
});
