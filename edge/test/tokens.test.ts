import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { SignJWT, UnsecuredJWT } from "jose";
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

  it("accepts only its own form: HS256, no crit, a canonical signature, not before nbf", async () => {
    const key = new TextEncoder().encode(secret);
    const signed = (header: { alg: string; crit?: string[] }, claims: Record<string, unknown> = {}) =>
      new SignJWT({ role: "user", ...claims })
        .setProtectedHeader(header as { alg: string })
        .setSubject("u4")
        .setIssuer("ticketing")
        .setExpirationTime("60s")
        .sign(key);
    const good = await signed({ alg: "HS256" });
    expect(await tokens.verify(`Bearer ${good}`)).to.deep.equal({ userId: "u4", role: "user" });
    const [h, p, sig] = good.split(".") as [string, string, string];
    // The last base64url character of a 32-byte MAC carries 2 unused bits: same bytes, other spelling.
    const last = sig.at(-1) as string;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] as string;
    const refused = {
      "alg none": new UnsecuredJWT({
        sub: "u4",
        iss: "ticketing",
        exp: Math.floor(Date.now() / 1000) + 60,
      }).encode(),
      "HS512 with the same secret": await signed({ alg: "HS512" }),
      "a crit header": await new SignJWT({})
        .setProtectedHeader({ alg: "HS256", crit: ["b64"], b64: true })
        .setIssuer("ticketing")
        .setSubject("u4")
        .setExpirationTime("60s")
        .sign(key),
      "a non-canonical signature": `${h}.${p}.${sig.slice(0, -1)}${sibling}`,
      "a padded signature": `${h}.${p}.${sig}=`,
      "a fourth segment": `${good}.x`,
      "a payload swapped in": `${h}.${Buffer.from(JSON.stringify({ sub: "admin", iss: "ticketing", exp: 9e9 })).toString("base64url")}.${sig}`,
      "not valid yet": await signed({ alg: "HS256" }, { nbf: Math.floor(Date.now() / 1000) + 30 }),
      garbage: "a.b.c",
    };
    for (const [what, token] of Object.entries(refused)) {
      const err = await connectErrorOf(tokens.verify(`Bearer ${token}`));
      expect(err.code, what).to.equal(Code.Unauthenticated);
      expect(err.rawMessage, what).to.equal("invalid token");
    }
  });
});
