import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { SignJWT } from "jose";
import { connectErrorOf } from "#platform/testing";
import { TokenService } from "../src/identity/tokens.ts";

describe("edge/identity: bearer tokens", () => {
  const secret = "a-test-secret-that-is-long-enough-for-hs256";
  let clock = 0;
  const tokens = new TokenService(secret, "ticketing", 60, () => clock);
  // Tokens are signed at the real time, so the test clock starts there.
  beforeEach(() => {
    clock = Date.now();
  });

  it("round-trips the caller and rejects tampering, other issuers and other secrets", async () => {
    const token = await tokens.sign({ userId: "u1", role: "admin" });
    expect(await tokens.verify(`Bearer ${token}`)).to.deep.equal({ userId: "u1", role: "admin" });
    const tampered = `${token.slice(0, -2)}xx`;
    expect((await connectErrorOf(tokens.verify(`Bearer ${tampered}`))).code).to.equal(Code.Unauthenticated);
    const foreign = await new TokenService(secret, "elsewhere", 60).sign({ userId: "u1", role: "admin" });
    expect((await connectErrorOf(tokens.verify(`Bearer ${foreign}`))).rawMessage).to.equal("invalid token");
    const otherKey = await new TokenService(`${secret}!`, "ticketing", 60).sign({
      userId: "u1",
      role: "admin",
    });
    expect((await connectErrorOf(tokens.verify(`Bearer ${otherKey}`))).code).to.equal(Code.Unauthenticated);
    expect((await connectErrorOf(tokens.verify("Basic abc"))).rawMessage).to.contain("Bearer");
  });

  it("refuses a token without an expiry, even correctly signed", async () => {
    const forever = await new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u3")
      .setIssuer("ticketing")
      .setIssuedAt()
      .sign(new TextEncoder().encode(secret));
    const err = await connectErrorOf(tokens.verify(`Bearer ${forever}`));
    expect(err.code).to.equal(Code.Unauthenticated);
  });

  it("stops accepting a remembered token once it expires", async () => {
    const token = await tokens.sign({ userId: "u2", role: "user" });
    expect(await tokens.verify(`Bearer ${token}`)).to.deep.equal({ userId: "u2", role: "user" });
    clock += 61_000;
    const err = await connectErrorOf(tokens.verify(`Bearer ${token}`));
    expect(err.code).to.equal(Code.Unauthenticated);
    expect(err.rawMessage).to.equal("token expired");
  });
});
