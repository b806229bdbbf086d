import { randomUUID } from "node:crypto";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { QueueService, QueueState } from "#gen/ticketing/queue/v1/queue_pb.js";
import {
  AdmissionVerifier,
  asVouching,
  identityHeader,
  parsePublicKeys,
  reasonOf,
  serviceClient,
  vouchDigest,
} from "#platform";
import { connectErrorOf, testSigner } from "#platform/testing";
import { as, asAdmin, type QueueFixture, startQueueFixture } from "./fixture.ts";

const users = (n: number) => Array.from({ length: n }, (_, i) => `fan-${i}-${randomUUID().slice(0, 8)}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("queue service: numbers, the opening draw and admission", function () {
  this.timeout(60_000);
  let f: QueueFixture;
  before(async () => {
    f = await startQueueFixture("queue", { HOLD_SECONDS: "1" });
  });
  after(async () => {
    await f?.close();
  });

  const status = async (eventId: string, userId: string) =>
    (await f.queue.getQueueStatus({ eventId }, as(userId))).status;
  const join = async (eventId: string, userId: string) =>
    (await f.queue.joinQueue({ eventId }, as(userId))).status;

  it("draws the pre-queue once at opening in a seeded random order; afterwards first come, first served", async () => {
    const opensAtMs = Date.now() + 4000;
    const { eventId } = await f.room({ places: 100, maxActiveShoppers: 1, opensAtMs });
    const early = users(40);
    for (const s of await Promise.all(early.map((u) => join(eventId, u)))) {
      expect(s?.state).to.equal(QueueState.WAITING);
      expect(s?.number).to.equal(0n);
    }
    // Rejoining before opening keeps the (undrawn) place; nothing is admitted before opening.
    expect((await join(eventId, early[0] as string))?.number).to.equal(0n);
    await f.service.loop.tick(true);
    expect((await f.queue.getQueueSnapshot({ eventId })).snapshot?.opened).to.equal(false);

    await sleep(opensAtMs - Date.now() + 100);
    const late = users(3);
    const lateNumbers = [];
    for (const u of late) lateNumbers.push((await join(eventId, u))?.number);
    // The first join after opening drew the pre-queue: numbers 1..40 in a shuffled order.
    const drawn = await Promise.all(early.map(async (u) => Number((await status(eventId, u))?.number)));
    expect([...drawn].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(drawn).to.not.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(lateNumbers).to.deep.equal([41n, 42n, 43n]);
    // One place per user: another device, another join, same number.
    expect((await join(eventId, early[5] as string))?.number).to.equal(BigInt(drawn[5] as number));
  });

  it("admits up to maxActiveShoppers with signed tokens; a finished shopper frees a slot", async () => {
    const { eventId } = await f.room({ places: 50, maxActiveShoppers: 3 });
    const fans = users(6);
    for (const u of fans) await join(eventId, u);
    await f.service.loop.tick(true);
    await f.service.loop.tick();
    const states = await Promise.all(fans.map((u) => status(eventId, u)));
    expect(states.map((s) => s?.state)).to.deep.equal([
      QueueState.ADMITTED,
      QueueState.ADMITTED,
      QueueState.ADMITTED,
      QueueState.WAITING,
      QueueState.WAITING,
      QueueState.WAITING,
    ]);
    expect(states.slice(3).map((s) => [s?.position, s?.ahead])).to.deep.equal([
      [1n, 0n],
      [2n, 1n],
      [3n, 2n],
    ]);
    const first = states[0];
    const verifier = new AdmissionVerifier(parsePublicKeys(f.keys.publicKeys, "keys"));
    const claims = await verifier.verify(first?.admissionToken, eventId, fans[0] as string);
    expect(claims.expiresAtMs).to.be.closeTo(timestampDate(first?.shoppingEndsAt as never).getTime(), 1000);
    // The same token on every read (stored once).
    expect((await status(eventId, fans[0] as string))?.admissionToken).to.equal(first?.admissionToken);
    const wrongUser = await connectErrorOf(
      verifier.verify(first?.admissionToken, eventId, fans[1] as string),
    );
    expect(reasonOf(wrongUser)).to.equal("ADMISSION_REQUIRED");

    await f.queue.finishShopping({ eventId }, as(fans[0] as string));
    await f.service.loop.tick();
    expect((await status(eventId, fans[3] as string))?.state).to.equal(QueueState.ADMITTED);
    expect((await status(eventId, fans[4] as string))?.position).to.equal(1n);
  });

  it("caps admissions per minute and estimates the wait from the measured rate", async () => {
    const { eventId } = await f.room({ places: 500, maxActiveShoppers: 500, admissionsPerMinute: 600 });
    const fans = users(120);
    await Promise.all(fans.map((u) => join(eventId, u)));
    await f.service.loop.tick(true);
    // The bucket holds 5 s worth of the cap: 50 at once, then 10 per second.
    const first = await f.queue.getQueueSnapshot({ eventId });
    expect(first.snapshot?.serving).to.equal(50n);
    const started = Date.now();
    for (let i = 0; i < 10; i++) {
      await sleep(200);
      await f.service.loop.tick();
    }
    const { snapshot } = await f.queue.getQueueSnapshot({ eventId });
    const serving = Number(snapshot?.serving);
    // Never above the cap for the time that passed (however slow this machine is), and still admitting.
    expect(serving).to.be.at.most(50 + Math.ceil(((Date.now() - started) / 1000) * 10) + 1);
    expect(serving).to.be.at.least(60);
    expect(snapshot?.admissionRatePerMinute).to.be.greaterThan(600);
    await sleep(600);
    const last = await status(eventId, fans[119] as string);
    expect(last?.state).to.equal(QueueState.WAITING);
    expect(last?.estimatedWaitSeconds).to.be.a("number").and.greaterThan(0);
  });

  it("follows inventory: pauses while every seat is held, resumes when holds expire, tells everyone sold out", async () => {
    const { eventId, ticketIds } = await f.room({ places: 2, maxActiveShoppers: 10 });
    const fans = users(6);
    for (const u of fans) await join(eventId, u);
    await f.service.loop.tick(true);
    const [a, b] = fans as [string, string];
    const tokenA = (await status(eventId, a))?.admissionToken as string;
    const tokenB = (await status(eventId, b))?.admissionToken as string;
    // One shopper per unsold seat: two admitted for two seats.
    expect((await status(eventId, fans[2] as string))?.state).to.equal(QueueState.WAITING);
    await f.inventory.holdTickets({ eventId, ticketIds, admissionToken: tokenA }, as(a));
    await f.queue.finishShopping({ eventId }, as(b));
    await f.service.loop.tick();
    // Everything is held: nobody new, even with a free slot.
    expect((await f.queue.getQueueSnapshot({ eventId })).snapshot?.serving).to.equal(2n);
    await sleep(1100);
    await f.service.loop.tick();
    // The hold lapsed (HOLD_SECONDS=1): seats are back and admission resumed.
    expect((await f.queue.getQueueSnapshot({ eventId })).snapshot?.serving).to.equal(3n);

    const payment = {
      cardNumber: "4242 4242 4242 4242",
      expMonth: 12,
      expYear: 2030,
      cvc: "123",
      name: "Fan",
    };
    await f.inventory.bookTickets(
      { eventId, ticketIds, payment, idempotencyKey: randomUUID(), admissionToken: tokenB },
      as(b),
    );
    await f.service.loop.tick();
    const after = await Promise.all(fans.slice(3).map((u) => status(eventId, u)));
    expect(after.map((s) => s?.state)).to.deep.equal([
      QueueState.SOLD_OUT,
      QueueState.SOLD_OUT,
      QueueState.SOLD_OUT,
    ]);
    expect((await f.queue.getQueueSnapshot({ eventId })).snapshot?.soldOut).to.equal(true);
    // A newcomer learns it at once too.
    expect((await join(eventId, `late-${randomUUID()}`))?.state).to.equal(QueueState.SOLD_OUT);
  });

  it("answers bad input clearly: unknown event, no waiting room, not signed in, not an admin", async () => {
    const unknown = await connectErrorOf(f.queue.joinQueue({ eventId: randomUUID() }, as("x")));
    expect(unknown.code).to.equal(Code.NotFound);
    const { eventId } = await f.room({ places: 3 });
    await f.queue.setQueueSettings(
      {
        eventId,
        settings: {
          enabled: false,
          maxActiveShoppers: 5,
          admissionsPerMinute: 60,
          shoppingWindowSeconds: 60,
        },
      },
      asAdmin,
    );
    expect((await join(eventId, "someone"))?.state).to.equal(QueueState.NOT_REQUIRED);
    const anonymous = await connectErrorOf(f.queue.joinQueue({ eventId }));
    expect(anonymous.code).to.equal(Code.Unauthenticated);
    const notAdmin = await connectErrorOf(
      f.queue.setQueueSettings(
        {
          eventId,
          settings: {
            enabled: true,
            maxActiveShoppers: 5,
            admissionsPerMinute: 60,
            shoppingWindowSeconds: 60,
          },
        },
        as("someone"),
      ),
    );
    expect(notAdmin.code).to.equal(Code.PermissionDenied);
    const invalid = await connectErrorOf(
      f.queue.setQueueSettings(
        {
          eventId,
          settings: {
            enabled: true,
            maxActiveShoppers: 0,
            admissionsPerMinute: 60,
            shoppingWindowSeconds: 60,
          },
        },
        asAdmin,
      ),
    );
    expect(invalid.code).to.equal(Code.InvalidArgument);
    const badId = await connectErrorOf(f.queue.joinQueue({ eventId: "not-a-uuid" }, as("x")));
    expect(badId.code).to.equal(Code.InvalidArgument);
    const { settings } = await f.queue.getQueueSettings({ eventId }, asAdmin);
    expect(settings).to.include({ enabled: false, maxActiveShoppers: 5 });
  });

  it("joins a batch the edge vouches for in one call: numbers in arrival order, one place per user, nobody else", async () => {
    const { eventId } = await f.room({ places: 20 });
    const first = users(1);
    await join(eventId, first[0] as string);
    const batch = [...users(4), first[0] as string];
    batch.push(batch[1] as string); // the same buyer from a second tab
    const { statuses } = await f.queue.joinQueueBatch(
      { eventId, userIds: batch },
      asVouching(eventId, batch),
    );
    expect(statuses.map((s) => s.state)).to.deep.equal(batch.map(() => QueueState.WAITING));
    expect(statuses.map((s) => s.number)).to.deep.equal([2n, 3n, 4n, 5n, 1n, 3n]);
    // The same places as a per-user status read answers.
    for (const [i, userId] of batch.entries())
      expect((await status(eventId, userId))?.number).to.equal(statuses[i]?.number);

    const others = users(2);
    const refusals = [
      // A token vouching for other users, another event, or a per-user token.
      [asVouching(eventId, others.slice(0, 1)), Code.PermissionDenied],
      [asVouching(randomUUID(), others), Code.PermissionDenied],
      [as(others[0] as string), Code.Unauthenticated],
      [{}, Code.Unauthenticated],
    ] as const;
    for (const [options, code] of refusals) {
      const err = await connectErrorOf(f.queue.joinQueueBatch({ eventId, userIds: others }, options));
      expect(err.code).to.equal(code);
    }
    // Nobody was placed by a refused call.
    expect((await connectErrorOf(status(eventId, others[0] as string))).code).to.equal(Code.NotFound);
    const empty = await connectErrorOf(
      f.queue.joinQueueBatch({ eventId, userIds: [] }, asVouching(eventId, [])),
    );
    expect(empty.code).to.equal(Code.InvalidArgument);
    // A vouching token is no caller: it cannot read anyone's status.
    const asBatch = await connectErrorOf(
      f.queue.getQueueStatus({ eventId }, asVouching(eventId, [first[0] as string])),
    );
    expect(asBatch.code).to.equal(Code.Unauthenticated);
  });

  it("answers a batch of status reads the edge vouches for: each place in order, nothing for who never joined", async () => {
    const { eventId } = await f.room({ places: 20 });
    const joined = users(3);
    for (const u of joined) await join(eventId, u);
    const stranger = `stranger-${randomUUID()}`;
    const asked = [joined[2], stranger, joined[0], joined[2]] as string[];
    const { entries } = await f.queue.getQueueStatusBatch(
      { eventId, userIds: asked },
      asVouching(eventId, asked),
    );
    expect(entries.map((e) => e.status?.number)).to.deep.equal([3n, undefined, 1n, 3n]);
    expect(entries[0]?.status?.state).to.equal(QueueState.WAITING);
    // Reading is not joining: the stranger still has no place.
    expect((await connectErrorOf(status(eventId, stranger))).code).to.equal(Code.NotFound);

    // A vouching token is for one method: a status batch's token does not join those users.
    const raw = serviceClient(QueueService, f.service.url);
    const newcomers = users(2);
    const statusToken = await testSigner().signVouch(
      vouchDigest(eventId, newcomers),
      "queue",
      "GetQueueStatusBatch",
    );
    const headers = { [identityHeader]: statusToken };
    expect(
      (await raw.getQueueStatusBatch({ eventId, userIds: newcomers }, { headers })).entries,
    ).to.have.length(2);
    const replayed = await connectErrorOf(raw.joinQueueBatch({ eventId, userIds: newcomers }, { headers }));
    expect(replayed.code).to.equal(Code.Unauthenticated);
    expect(replayed.rawMessage).to.equal("identity token is for another call");
    expect((await connectErrorOf(status(eventId, newcomers[0] as string))).code).to.equal(Code.NotFound);
  });
});
