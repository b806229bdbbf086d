import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import {
  AdmissionSigner,
  type Caller,
  generateAdmissionKeys,
  parsePublicKeys,
  parseSigningKey,
  reasonOf,
  type SqlPools,
} from "#platform";
import { callerContext, connectErrorOf } from "#platform/testing";
import { AdmissionGate } from "../src/admission/admission-gate.ts";
import { createInventoryFixture, type InventoryFixture, user } from "./fixture.ts";

const ctxOf = (caller: Caller) => callerContext(caller);
const payment = { cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2030, cvc: "123", name: "Fan" };

describe("inventory: the waiting room's admission check", () => {
  let fx: InventoryFixture;
  let signer: AdmissionSigner;
  let strangerSigner: AdmissionSigner;
  before(async () => {
    const keys = await generateAdmissionKeys("k1");
    const stranger = await generateAdmissionKeys("k1");
    signer = new AdmissionSigner(parseSigningKey(keys.signingKey, "key"));
    strangerSigner = new AdmissionSigner(parseSigningKey(stranger.signingKey, "key"));
    fx = await createInventoryFixture("admission", {
      settings: { ADMISSION_PUBLIC_KEYS: parsePublicKeys(keys.publicKeys, "keys") },
    });
  });
  after(async () => {
    await fx?.close();
  });

  const tokenFor = (s: AdmissionSigner, userId: string, eventId: string, inMs = 60_000) =>
    s.sign({ userId, eventId, expiresAtMs: Date.now() + inMs }, Date.now());

  it("holds and bookings of a waiting-room event need this caller's token for this event, unexpired", async () => {
    const { eventId, ticketIds } = await fx.seed(4);
    const admin: Caller = { userId: "admin", role: "admin" };
    await fx.inventory.rpc.setWaitingRoom({ eventId, enabled: true } as never, ctxOf(admin));
    const buyer = user();
    const hold = (admissionToken: string, caller = buyer, ids = ticketIds.slice(0, 1)) =>
      fx.inventory.rpc.holdTickets({ eventId, ticketIds: ids, admissionToken } as never, ctxOf(caller));
    const refusals = [
      "",
      "garbage",
      await tokenFor(signer, "someone-else", eventId),
      await tokenFor(signer, buyer.userId, randomUUID()),
      await tokenFor(signer, buyer.userId, eventId, -5_000),
      await tokenFor(strangerSigner, buyer.userId, eventId),
    ];
    const good = await tokenFor(signer, buyer.userId, eventId);
    refusals.push(`${good.slice(0, -4)}AAAA`);
    for (const token of refusals) {
      const err = await connectErrorOf(hold(token));
      expect(err.code, token).to.equal(Code.PermissionDenied);
      expect(reasonOf(err), token).to.equal("ADMISSION_REQUIRED");
    }
    const messages = await Promise.all(
      refusals.slice(0, 5).map(async (t) => (await connectErrorOf(hold(t))).rawMessage),
    );
    expect(messages[2]).to.match(/another user/);
    expect(messages[3]).to.match(/another event/);
    expect(messages[4]).to.match(/expired/);

    const held = await hold(good);
    expect(held.ticketIds).to.deep.equal(ticketIds.slice(0, 1));
    const withoutToken = await connectErrorOf(
      fx.inventory.rpc.bookTickets(
        { eventId, ticketIds: held.ticketIds, holdId: held.holdId, payment, idempotencyKey: "k" } as never,
        ctxOf(buyer),
      ),
    );
    expect(reasonOf(withoutToken)).to.equal("ADMISSION_REQUIRED");
    const { booking } = await fx.inventory.rpc.bookTickets(
      {
        eventId,
        ticketIds: held.ticketIds,
        holdId: held.holdId,
        payment,
        idempotencyKey: "k",
        admissionToken: good,
      } as never,
      ctxOf(buyer),
    );
    expect(booking?.status).to.not.equal(undefined);

    // Turned off: no token needed any more.
    await fx.inventory.rpc.setWaitingRoom({ eventId, enabled: false } as never, ctxOf(admin));
    expect((await hold("", buyer, ticketIds.slice(1, 2))).ticketIds).to.have.length(1);
  });

  it("events without a waiting room need no token; only admins change the setting", async () => {
    const { eventId, ticketIds } = await fx.seed(1);
    const held = await fx.inventory.rpc.holdTickets({ eventId, ticketIds } as never, ctxOf(user()));
    expect(held.ticketIds).to.have.length(1);
    const denied = await connectErrorOf(
      fx.inventory.rpc.setWaitingRoom({ eventId, enabled: true } as never, ctxOf(user())),
    );
    expect(denied.code).to.equal(Code.PermissionDenied);
  });

  it("concurrent checks share one read of the waiting-room setting, and a failed read is not remembered", async () => {
    const { eventId } = await fx.seed(1);
    let reads = 0;
    let failNext = false;
    const counting = {
      query: (...args: Parameters<SqlPools["query"]>) => {
        reads++;
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error("database away"));
        }
        return fx.pools.query(...args);
      },
    } as SqlPools;
    let now = 0;
    const gate = new AdmissionGate(counting, undefined, 1000, () => now);
    await Promise.all(Array.from({ length: 20 }, () => gate.check(eventId, user(), "")));
    expect(reads).to.equal(1);
    now += 1000; // expired: the next burst reads once more, together
    await Promise.all(Array.from({ length: 20 }, () => gate.check(eventId, user(), "")));
    expect(reads).to.equal(2);
    now += 1000;
    failNext = true;
    expect((await Promise.allSettled([gate.check(eventId, user(), "")]))[0]?.status).to.equal("rejected");
    await gate.check(eventId, user(), "");
    expect(reads).to.equal(4);
  });
});
