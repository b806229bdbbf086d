// Rate limits at the edge: per e-mail and per IP on login, per user on holds (REST and Connect
// alike), shared by two edge instances through Redis, reads never limited, and X-Forwarded-For
// believed only from a trusted proxy.
import { expect } from "chai";
import { build as buildEdge } from "../src/main.ts";
import { startBareEdge } from "./bare-edge.ts";
import { type Sent, send } from "./send.ts";
import { login, seedTickets, startTestStack, type TestStack } from "./stack.ts";

function expectLimited(res: Sent, code = "rate_limited") {
  expect(res.status).to.equal(429);
  expect(res.body.code).to.equal(code);
  expect(Number(res.retryAfter)).to.be.within(1, 60);
}

describe("edge: rate limits (Redis, shared by every edge)", function () {
  this.timeout(60_000);
  let stack: TestStack;
  before(async () => {
    // Behind a trusted proxy (TRUST_PROXY=true), so each test is its own client address.
    stack = await startTestStack("rate_limits", {
      RATE_LIMITS: "true",
      TRUST_PROXY: "true",
      RATE_LIMIT_LOGIN_PER_USER: "2",
      RATE_LIMIT_LOGIN_PER_IP: "3",
      RATE_LIMIT_HOLD_PER_USER: "2",
      RATE_LIMIT_HOLD_PER_IP: "100",
    });
  });
  after(async () => {
    await stack?.close();
  });

  const from = (ip: string) => ({ "x-forwarded-for": ip });
  const signIn = (url: string, email: string, ip: string) =>
    send(url, "/auth/login", { body: { email }, headers: from(ip) });

  it("limits sign-ins per e-mail and per address: 429 rate_limited with Retry-After", async () => {
    const ip = "203.0.113.1";
    expect((await signIn(stack.edgeUrl, "a@example.com", ip)).status).to.equal(200);
    expect((await signIn(stack.edgeUrl, "A@example.com", ip)).status).to.equal(200);
    const sameEmail = await signIn(stack.edgeUrl, "a@example.com", ip);
    expectLimited(sameEmail);
    expect(sameEmail.body.message).to.match(/too many sign-ins from this e-mail: at most 2 per 60 s/);
    const sameAddress = await signIn(stack.edgeUrl, "b@example.com", ip);
    expectLimited(sameAddress);
    expect(sameAddress.body.message).to.match(/from this address: at most 3 per 60 s/);
    // Another address and another e-mail are not affected.
    expect((await signIn(stack.edgeUrl, "c@example.com", "203.0.113.2")).status).to.equal(200);
  });

  it("limits holds per user across REST and Connect, and leaves other users and reads alone", async () => {
    const ip = "203.0.113.10";
    const { eventId, ticketIds } = await seedTickets(stack.databaseUrl, 3);
    const token = await login(stack.edgeUrl, "holder@example.com");
    const other = await login(stack.edgeUrl, "other-holder@example.com");
    const auth = (t: string) => ({ authorization: `Bearer ${t}`, ...from(ip) });
    const hold = (t: string, id: string) =>
      send(stack.edgeUrl, `/events/${eventId}/holds`, { body: { ticketIds: [id] }, headers: auth(t) });
    expect((await hold(token, ticketIds[0] as string)).status).to.equal(201);
    expect((await hold(token, ticketIds[0] as string)).status).to.equal(409); // refused, still counted
    expectLimited(await hold(token, ticketIds[1] as string));
    const connect = await send(stack.edgeUrl, "/ticketing.api.v1.TicketingService/HoldTickets", {
      body: { eventId, ticketIds: [ticketIds[1]] },
      headers: auth(token),
    });
    expectLimited(connect, "resource_exhausted");
    expect((await hold(other, ticketIds[1] as string)).status).to.equal(201);
    for (let i = 0; i < 10; i++) {
      expect(
        (await send(stack.edgeUrl, `/events/${eventId}/tickets`, { headers: from(ip) })).status,
      ).to.not.equal(429);
    }
  });

  it("shares the counts between two edge instances through Redis", async () => {
    const second = await buildEdge(stack.edge.deps.config);
    const secondUrl = await second.app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const ip = "203.0.113.20";
      expect((await signIn(stack.edgeUrl, "shared@example.com", ip)).status).to.equal(200);
      expect((await signIn(secondUrl, "shared@example.com", ip)).status).to.equal(200);
      expectLimited(await signIn(secondUrl, "shared@example.com", ip));
      expectLimited(await signIn(stack.edgeUrl, "shared@example.com", ip));
    } finally {
      await second.close();
    }
  });
});

describe("edge: X-Forwarded-For is believed only from TRUST_PROXY", function () {
  this.timeout(30_000);
  const limits = { RATE_LIMITS: "true", RATE_LIMIT_HOLD_PER_IP: "2", RATE_LIMIT_HOLD_PER_USER: "0" };
  const holds = async (url: string, token: () => Promise<string>) => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await send(url, "/events/00000000-0000-4000-8000-000000000001/holds", {
        body: { ticketIds: ["00000000-0000-4000-8000-000000000002"] },
        headers: { authorization: `Bearer ${await token()}`, "x-forwarded-for": `198.51.100.${i}` },
      });
      statuses.push(res.status);
    }
    return statuses;
  };

  it("without it, invented addresses do not escape the per-IP limit", async () => {
    const bare = await startBareEdge("rate_limits_xff_off", limits);
    try {
      const statuses = await holds(bare.url, () => bare.token());
      expect(statuses[2]).to.equal(429);
    } finally {
      await bare.close();
    }
  });

  it("with the proxy trusted, each forwarded client has its own count", async () => {
    const bare = await startBareEdge("rate_limits_xff_on", { ...limits, TRUST_PROXY: "127.0.0.1" });
    try {
      const statuses = await holds(bare.url, () => bare.token());
      expect(statuses).to.not.include(429);
    } finally {
      await bare.close();
    }
  });
});
