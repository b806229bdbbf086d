// The Connect Login RPC: the storefront signs in over the public API, with the REST login's
// checks and limits (the same Redis counters), and only in local mode.
import { expect } from "chai";
import { startBareEdge } from "./bare-edge.ts";
import { send } from "./send.ts";
import { startTestStack, type TestStack } from "./stack.ts";

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  send(url, path, { body, headers });

const loginPath = "/ticketing.api.v1.TicketingService/Login";

describe("edge: Login over Connect", function () {
  this.timeout(60_000);
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack("login_rpc", {
      RATE_LIMITS: "true",
      TRUST_PROXY: "true",
      RATE_LIMIT_LOGIN_PER_USER: "2",
      RATE_LIMIT_LOGIN_PER_IP: "3",
    });
  });
  after(async () => {
    await stack?.close();
  });
  const from = (ip: string) => ({ "x-forwarded-for": ip });

  it("signs in by e-mail and answers a token the other RPCs accept", async () => {
    const res = await post(stack.edgeUrl, loginPath, { email: "  Grace@Example.com " }, from("198.51.100.1"));
    expect(res.status).to.equal(200);
    expect(res.body.user).to.include({ email: "grace@example.com", name: "grace", role: "user" });
    const admin = await post(stack.edgeUrl, loginPath, { email: "admin@example.com" }, from("198.51.100.1"));
    expect(admin.body.user).to.include({ role: "admin" });
    const mine = await post(
      stack.edgeUrl,
      "/ticketing.api.v1.TicketingService/ListMyBookings",
      {},
      { authorization: `Bearer ${res.body.token}` },
    );
    expect([mine.status, mine.body]).to.deep.equal([200, {}]);
  });

  it("refuses what is not an e-mail address with invalid_argument naming the field", async () => {
    const ip = from("198.51.100.2");
    for (const email of [
      "not-an-address",
      "a@b@example.com",
      "nul\u0000@example.com",
      "",
      "x".repeat(250) + "@e.com",
    ]) {
      const res = await post(stack.edgeUrl, loginPath, { email }, ip);
      expect([res.status, res.body.code], JSON.stringify(email)).to.deep.equal([400, "invalid_argument"]);
      expect(res.body.message, JSON.stringify(email)).to.match(/email/);
    }
    const unknown = await post(stack.edgeUrl, loginPath, { email: "a@example.com", password: "x" }, ip);
    expect([unknown.status, unknown.body.code]).to.deep.equal([400, "invalid_argument"]);
  });

  it("is limited per e-mail and per address, counted together with POST /auth/login", async () => {
    const ip = from("198.51.100.3");
    expect((await post(stack.edgeUrl, "/auth/login", { email: "lim@example.com" }, ip)).status).to.equal(200);
    expect((await post(stack.edgeUrl, loginPath, { email: "LIM@example.com" }, ip)).status).to.equal(200);
    const sameEmail = await post(stack.edgeUrl, loginPath, { email: "lim@example.com" }, ip);
    expect([sameEmail.status, sameEmail.body.code]).to.deep.equal([429, "resource_exhausted"]);
    expect(sameEmail.body.message).to.match(/too many sign-ins from this e-mail: at most 2 per 60 s/);
    expect(Number(sameEmail.retryAfter)).to.be.within(1, 60);
    const sameAddress = await post(stack.edgeUrl, "/auth/login", { email: "other@example.com" }, ip);
    expect(sameAddress.status).to.equal(429);
    expect(sameAddress.body.message).to.match(/from this address: at most 3 per 60 s/);
    expect(
      (await post(stack.edgeUrl, loginPath, { email: "lim2@example.com" }, from("198.51.100.4"))).status,
    ).to.equal(200);
  });

  it("answers unimplemented outside local mode", async () => {
    const bare = await startBareEdge("login_rpc_jwt");
    try {
      const res = await post(bare.url, loginPath, { email: "a@example.com" });
      expect([res.status, res.body.code]).to.deep.equal([501, "unimplemented"]);
      expect(res.body.message).to.match(/only available in local mode/);
    } finally {
      await bare.close();
    }
  });
});
