import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { Code, createContextValues } from "@connectrpc/connect";
import { expect } from "chai";
import { jwtVerify, SignJWT } from "jose";
import { ConfigError } from "../src/config.ts";
import { requireVouched, vouchDigest, vouchKey } from "../src/identity.ts";
import { publicKeysParser, signingKeyParser } from "../src/identity-keys.ts";
import { IdentitySigner, IdentityVerifier, identityTtlSeconds } from "../src/identity-token.ts";
import { connectErrorOf } from "../src/testing/index.ts";

const pem = (type: "ed25519" | "ec") => {
  const pair =
    type === "ed25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    privatePem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
};
const fan = { userId: "u-1", role: "user" } as const;

describe("platform/identity tokens", () => {
  it("round-trips a caller for its audience with Ed25519 and with P-256 (ES256)", async () => {
    for (const type of ["ed25519", "ec"] as const) {
      const keys = pem(type);
      const signer = new IdentitySigner(signingKeyParser(keys.privatePem, "IDENTITY_SIGNING_KEY"));
      const verifier = new IdentityVerifier(
        publicKeysParser(keys.publicPem, "IDENTITY_PUBLIC_KEYS"),
        "inventory",
      );
      expect(await verifier.verify(await signer.sign(fan, "inventory"))).to.deep.equal(fan);
      const other = await connectErrorOf(verifier.verify(await signer.sign(fan, "catalog")));
      expect(other.code).to.equal(Code.Unauthenticated);
    }
  });

  it("accepts any key of a rotation (two PEMs, or a JWKS) and refuses a key it does not list", async () => {
    const [oldKey, newKey, stranger] = [pem("ed25519"), pem("ed25519"), pem("ed25519")];
    const both = publicKeysParser(`${oldKey.publicPem}${newKey.publicPem}`, "IDENTITY_PUBLIC_KEYS");
    const asJwks = publicKeysParser(JSON.stringify(both), "IDENTITY_PUBLIC_KEYS");
    for (const keys of [both, asJwks]) {
      const verifier = new IdentityVerifier(keys, "catalog");
      for (const k of [oldKey, newKey]) {
        const signer = new IdentitySigner(signingKeyParser(k.privatePem, "K"));
        expect((await verifier.verify(await signer.sign(fan, "catalog"))).userId).to.equal("u-1");
      }
      const forger = new IdentitySigner(signingKeyParser(stranger.privatePem, "K"));
      const err = await connectErrorOf(verifier.verify(await forger.sign(fan, "catalog")));
      expect(err.code).to.equal(Code.Unauthenticated);
    }
  });

  it("lets a service pass a token on only to services the edge listed in its audience", async () => {
    const keys = pem("ed25519");
    const signer = new IdentitySigner(signingKeyParser(keys.privatePem, "K"));
    const jwks = publicKeysParser(keys.publicPem, "P");
    const queue = new IdentityVerifier(jwks, "queue");
    const inventory = new IdentityVerifier(jwks, "inventory");
    const delegated = await signer.sign(fan, ["queue", "inventory"]);
    expect(await queue.verify(delegated)).to.deep.equal(fan);
    expect(await inventory.verify(delegated)).to.deep.equal(fan);
    const queueOnly = await signer.sign(fan, "queue");
    expect((await connectErrorOf(inventory.verify(queueOnly))).rawMessage).to.equal(
      "identity token is for another service",
    );
  });

  it("lives a few seconds: the same token is refused once it expired", async () => {
    const keys = pem("ed25519");
    let now = Date.now();
    const signer = new IdentitySigner(signingKeyParser(keys.privatePem, "K"), () => now);
    const verifier = new IdentityVerifier(publicKeysParser(keys.publicPem, "P"), "search", () => now);
    const token = await signer.sign(fan, "search");
    expect(await verifier.verify(token)).to.deep.equal(fan);
    now += (identityTtlSeconds + 5) * 1000;
    const err = await connectErrorOf(verifier.verify(token));
    expect(err.code).to.equal(Code.Unauthenticated);
    expect(err.rawMessage).to.equal("identity token expired");
  });

  it("answers a verified token from memory exactly while a fresh verification would accept it", async () => {
    const keys = pem("ed25519");
    const signedAt = Date.now();
    let now = signedAt;
    const signer = new IdentitySigner(signingKeyParser(keys.privatePem, "K"), () => now);
    const jwks = publicKeysParser(keys.publicPem, "P");
    const remembering = new IdentityVerifier(jwks, "inventory", () => now);
    const token = await signer.sign(fan, "inventory");
    expect(await remembering.verify(token)).to.deep.equal(fan);
    for (; now < signedAt + (identityTtlSeconds + 6) * 1000; now += 250) {
      // A verifier that never saw the token decides from the signature and claims alone.
      const fresh = new IdentityVerifier(jwks, "inventory", () => now);
      const expected = await fresh.verify(token).then(
        (caller) => caller.userId,
        (err: Error) => err.message,
      );
      const got = await remembering.verify(token).then(
        (caller) => caller.userId,
        (err: Error) => err.message,
      );
      expect(got, `${now - signedAt} ms after signing`).to.equal(expected);
    }
    const other = new IdentityVerifier(jwks, "catalog", () => signedAt);
    expect((await connectErrorOf(other.verify(token))).rawMessage).to.equal(
      "identity token is for another service",
    );
  });

  it("reuses a token for most of its life, and every token it hands out is still valid 2 s later", async () => {
    const keys = pem("ed25519");
    const start = Date.now();
    let now = start;
    const signer = new IdentitySigner(signingKeyParser(keys.privatePem, "K"), () => now);
    const tokens = new Set<string>();
    for (; now < start + 3 * identityTtlSeconds * 1000; now += 100) {
      const token = await signer.sign(fan, "inventory");
      tokens.add(token);
      const atArrival = now + 2000;
      const verifier = new IdentityVerifier(
        publicKeysParser(keys.publicPem, "P"),
        "inventory",
        () => atArrival,
      );
      expect(await verifier.verify(token), `${now - start} ms`).to.deep.equal(fan);
    }
    // 30 s of calls: a new token about every 6-7 s, not every 2 s.
    expect(tokens.size).to.be.within(4, 6);
  });

  it("refuses malformed key configuration with one line naming the variable, never the key", () => {
    const keys = pem("ed25519");
    const bad: [() => unknown, RegExp][] = [
      [() => signingKeyParser(undefined, "IDENTITY_SIGNING_KEY"), /^IDENTITY_SIGNING_KEY is required/],
      [() => signingKeyParser("garbage", "IDENTITY_SIGNING_KEY"), /^IDENTITY_SIGNING_KEY must be a PEM/],
      [() => publicKeysParser("", "IDENTITY_PUBLIC_KEYS"), /^IDENTITY_PUBLIC_KEYS is required/],
      [() => publicKeysParser("{nope", "IDENTITY_PUBLIC_KEYS"), /not valid JSON/],
      [() => publicKeysParser(keys.privatePem, "IDENTITY_PUBLIC_KEYS"), /JWKS or PEM public key/],
      [
        () =>
          publicKeysParser(
            JSON.stringify({ keys: [{ kty: "OKP", kid: "k", d: "secret" }] }),
            "IDENTITY_PUBLIC_KEYS",
          ),
        /private key/,
      ],
    ];
    for (const [parse, message] of bad) {
      expect(parse).to.throw(ConfigError, message);
      try {
        parse();
      } catch (err) {
        expect((err as Error).message)
          .not.to.contain("PRIVATE KEY")
          .and.not.to.contain("secret");
      }
    }
    // One-line env files may carry the PEM with literal \n.
    const oneLine = keys.privatePem.replaceAll("\n", "\\n");
    expect(signingKeyParser(oneLine, "IDENTITY_SIGNING_KEY").asymmetricKeyType).to.equal("ed25519");
  });

  it("vouches for exactly one request's users: never usable as a caller, refused for any other list", async () => {
    const keys = pem("ed25519");
    const signer = new IdentitySigner(signingKeyParser(keys.privatePem, "IDENTITY_SIGNING_KEY"));
    const verifier = new IdentityVerifier(publicKeysParser(keys.publicPem, "IDENTITY_PUBLIC_KEYS"), "queue");
    const digest = vouchDigest("event-1", ["u-1", "u-2"]);
    const vouching = await signer.signVouch(digest, "queue", "JoinQueueBatch");
    // A vouching token names no user: a service asking "who is calling?" gets no answer from it.
    expect((await connectErrorOf(verifier.verify(vouching))).rawMessage).to.equal("invalid identity token");
    expect(
      (await connectErrorOf(verifier.verify(await signer.signVouch(digest, "inventory", "JoinQueueBatch"))))
        .code,
    ).to.equal(Code.Unauthenticated);
    const ctx = (vouched: string | undefined) => ({ values: createContextValues().set(vouchKey, vouched) });
    expect(() => requireVouched(ctx(digest), "event-1", ["u-1", "u-2"])).not.to.throw();
    for (const [scope, users] of [
      ["event-1", ["u-1", "u-3"]],
      ["event-1", ["u-2", "u-1"]],
      ["event-1", ["u-1"]],
      ["event-2", ["u-1", "u-2"]],
      ["event-1", ["u-1", "u-2", "u-2"]],
    ] as const) {
      const err = await connectErrorOf(
        Promise.resolve().then(() => requireVouched(ctx(digest), scope, users)),
      );
      expect(err.code, `${scope} ${users}`).to.equal(Code.PermissionDenied);
    }
    // A per-user token (or none) does not vouch for a batch.
    expect(
      (await connectErrorOf(Promise.resolve().then(() => requireVouched(ctx(undefined), "event-1", ["u-1"]))))
        .code,
    ).to.equal(Code.Unauthenticated);
  });

  it("signs standard compact JWTs (jose reads them) and refuses what our tokens never are", async () => {
    const keys = pem("ed25519");
    const privateKey = signingKeyParser(keys.privatePem, "IDENTITY_SIGNING_KEY");
    const jwks = publicKeysParser(keys.publicPem, "IDENTITY_PUBLIC_KEYS");
    const signer = new IdentitySigner(privateKey);
    const verifier = new IdentityVerifier(jwks, "inventory");
    const token = await signer.sign(fan, "inventory");
    const { payload, protectedHeader } = await jwtVerify(token, createPublicKey(keys.publicPem), {
      issuer: "edge",
      audience: "inventory",
    });
    expect(payload).to.include({ sub: "u-1", role: "user" });
    expect(protectedHeader).to.include({ alg: "EdDSA", typ: "JWT" });
    const kid = protectedHeader.kid as string;
    const now = Math.floor(Date.now() / 1000);
    // The standard claims first, so that `claims` can replace any of them.
    const withHeader = (header: Record<string, unknown>, claims: Record<string, unknown> = {}) =>
      new SignJWT({
        role: "user",
        iss: "edge",
        aud: "inventory",
        sub: "u-1",
        iat: now,
        exp: now + 10,
        ...claims,
      })
        .setProtectedHeader({ alg: "EdDSA", ...header })
        .sign(privateKey);
    // Signed by jose with the edge's key: accepted, so either side may change library.
    expect(await verifier.verify(await withHeader({ kid }))).to.deep.equal(fan);
    const [h, p, sig] = token.split(".") as [string, string, string];
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = sig.at(-1) as string;
    const refused: Record<string, string> = {
      "no kid": await withHeader({}),
      "an unknown kid": await withHeader({ kid: "other" }),
      "ES256 claimed for an Ed25519 key": `${Buffer.from(JSON.stringify({ alg: "ES256", kid })).toString("base64url")}.${p}.${sig}`,
      "a crit header": await withHeader({ kid, crit: ["b64"], b64: true }),
      "issued in the future": await withHeader({ kid }, { iat: now + 60, exp: now + 70 }),
      "another issuer": await withHeader({ kid }, { iss: "someone" }),
      "no subject": await withHeader({ kid }, { sub: undefined }),
      "a role we do not have": await withHeader({ kid }, { role: "root" }),
      "a non-canonical signature": `${h}.${p}.${sig.slice(0, -1)}${alphabet[alphabet.indexOf(last) ^ 1]}`,
      "claims swapped in": `${h}.${Buffer.from(JSON.stringify({ sub: "admin", role: "admin", iss: "edge", aud: "inventory", iat: now, exp: now + 10 })).toString("base64url")}.${sig}`,
      "not three segments": `${token}.x`,
    };
    for (const [what, bad] of Object.entries(refused)) {
      const err = await connectErrorOf(verifier.verify(bad));
      expect(err.code, what).to.equal(Code.Unauthenticated);
      expect(err.rawMessage, what).to.equal("invalid identity token");
    }
  });
});
