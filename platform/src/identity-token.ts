// The identity the edge hands each service: a JWT it signs with its private key, for one service
// (`aud`), one user (`sub`, `role`) and a few seconds (`iat`/`exp`). Services verify it against the
// edge's public keys; a missing token means an anonymous call, a bad one is Unauthenticated.
// Signatures are node:crypto's (compact-jws.ts); the claims are checked here.
import { createPublicKey, type KeyObject } from "node:crypto";
import {
  type CallOptions,
  Code,
  ConnectError,
  type ContextValues,
  createContextKey,
  type Interceptor,
} from "@connectrpc/connect";
import type { JSONWebKeySet, JWK } from "jose";
import { InvalidJws, jwsKeys, signJws, verifyJws } from "./compact-jws.ts";
import { type Caller, callerKey, delegateKey, vouchKey } from "./identity.ts";
import { algorithmOf, type IdentityAlgorithm, keyId } from "./identity-keys.ts";
import { VerifiedTokens } from "./verified-tokens.ts";

/** The request header carrying the identity token. */
export const identityHeader = "x-identity-token";
/** `iss` of every identity token. */
export const identityIssuer = "edge";
/** Lifetime of a token. */
export const identityTtlSeconds = 10;
/**
 * The signer reuses a token until this much of its life is left (about two thirds of it is reuse):
 * signing per call was the edge's share of the booking path's crypto, and a token sent with 3 s
 * left (plus the verifier's tolerance) is still valid when the service checks it at the call's
 * start. Renewed per (audience, role, user) as it nears its end.
 */
const renewBeforeExpiryMs = 3000;
const clockToleranceSeconds = 2;
const maxTokenAgeSeconds = identityTtlSeconds + clockToleranceSeconds;
const maxCachedTokens = 10_000;

/** `sub` of a vouching token (it names no user: its `vouch` claim says whom it is for). */
const vouchSubject = "vouch";

/** What a verified identity token says: one caller, or a digest of the users it vouches for. */
type Verified = { caller: Caller; vouch?: undefined } | { caller?: undefined; vouch: string; rpc: string };

const refused = (reason: string) => new ConnectError(reason, Code.Unauthenticated);

/** The verified token a call came with, kept so the service can forward it (forwardIdentity). */
const verifiedTokenKey = createContextKey<string | undefined>(undefined, { description: "identity token" });

/** Signs identity tokens at the edge. */
export class IdentitySigner {
  private readonly alg: IdentityAlgorithm;
  private readonly kid: string;
  private readonly recent = new Map<string, { token: string; renewAtMs: number }>();

  constructor(
    private readonly key: KeyObject,
    private readonly now: () => number = Date.now,
  ) {
    const alg = algorithmOf(key);
    if (!alg) throw new Error("the identity signing key must be Ed25519 or P-256");
    this.alg = alg;
    this.kid = keyId(createPublicKey(key).export({ format: "jwk" }) as JWK);
  }

  /** A token naming `caller` for the service(s) `audience`. Reused for most of its life per caller. */
  async sign(caller: Caller, audience: string | readonly string[]): Promise<string> {
    const audiences = typeof audience === "string" ? [audience] : [...audience];
    const cacheKey = `${audiences.join(",")}\u0000${caller.role}\u0000${caller.userId}`;
    const nowMs = this.now();
    const hit = this.recent.get(cacheKey);
    if (hit && nowMs < hit.renewAtMs) return hit.token;
    const iat = Math.floor(nowMs / 1000);
    const token = this.signClaims({
      role: caller.role,
      iss: identityIssuer,
      aud: audiences.length === 1 ? audiences[0] : audiences,
      sub: caller.userId,
      iat,
      exp: iat + identityTtlSeconds,
    });
    if (this.recent.size >= maxCachedTokens) this.recent.clear();
    this.recent.set(cacheKey, { token, renewAtMs: (iat + identityTtlSeconds) * 1000 - renewBeforeExpiryMs });
    return token;
  }

  /**
   * A token for one call of `rpc` (a method name) on `audience`, vouching for the users whose
   * digest (vouchDigest) it carries; never reused.
   */
  async signVouch(digest: string, audience: string, rpc: string): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    return this.signClaims({
      vouch: digest,
      rpc,
      iss: identityIssuer,
      aud: audience,
      sub: vouchSubject,
      iat,
      exp: iat + identityTtlSeconds,
    });
  }

  private signClaims(claims: object): string {
    return signJws(this.key, this.alg, this.kid, claims);
  }

  /**
   * Client interceptor for calls to `audience`: signs the caller given with `asCaller`, or the
   * users given with `asVouching`, if any.
   */
  interceptor(audience: string): Interceptor {
    return (next) => async (req) => {
      req.header.delete(identityHeader);
      const caller = req.contextValues.get(callerKey);
      const vouch = req.contextValues.get(vouchKey);
      const also = req.contextValues.get(delegateKey);
      if (caller) req.header.set(identityHeader, await this.sign(caller, [audience, ...also]));
      else if (vouch) req.header.set(identityHeader, await this.signVouch(vouch, audience, req.method.name));
      return next(req);
    };
  }
}

/** Verifies identity tokens in a service; a token that passed is remembered until it would not. */
export class IdentityVerifier {
  private readonly keys: ReturnType<typeof jwsKeys>;
  private readonly verified = new VerifiedTokens<Verified>();

  constructor(
    jwks: JSONWebKeySet,
    private readonly audience: string,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = jwsKeys(jwks);
  }

  /** The caller a per-user token names; Unauthenticated for a bad token or a vouching one. */
  async verify(token: string): Promise<Caller> {
    const { caller } = await this.check(token);
    if (!caller) throw refused("invalid identity token");
    return caller;
  }

  /** The caller a token names, or the digest of the users it vouches for; Unauthenticated if it is bad. */
  private async check(token: string): Promise<Verified> {
    const nowMs = this.now();
    const known = this.verified.get(token, nowMs);
    if (known) return known;
    let claims: Record<string, unknown>;
    try {
      claims = verifyJws(token, this.keys);
    } catch (err) {
      if (err instanceof InvalidJws) throw refused("invalid identity token");
      throw err;
    }
    const lastValidMs = this.validUntilMs(claims, nowMs);
    const { sub, role, vouch, rpc } = claims;
    let verified: Verified;
    if (sub === vouchSubject && typeof vouch === "string" && vouch && typeof rpc === "string")
      verified = { vouch, rpc };
    else if (
      typeof sub === "string" &&
      sub &&
      sub !== vouchSubject &&
      vouch === undefined &&
      (role === "user" || role === "admin")
    )
      verified = { caller: { userId: sub, role } };
    else throw refused("invalid identity token");
    this.verified.set(token, verified, lastValidMs);
    return verified;
  }

  /**
   * Checks issuer, audience and lifetime; answers until when (ms) the token stays valid: while
   * `exp` plus the tolerance is ahead, and it is no older than the accepted age (plus tolerance).
   */
  private validUntilMs(claims: Record<string, unknown>, nowMs: number): number {
    const { iss, aud, iat, exp, nbf } = claims;
    const now = Math.floor(nowMs / 1000);
    if (iss !== identityIssuer || typeof iat !== "number" || typeof exp !== "number")
      throw refused("invalid identity token");
    if (nbf !== undefined && (typeof nbf !== "number" || nbf > now + clockToleranceSeconds))
      throw refused("invalid identity token");
    if (iat > now + clockToleranceSeconds) throw refused("invalid identity token");
    const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
    if (!audiences.includes(this.audience)) throw refused("identity token is for another service");
    if (exp <= now - clockToleranceSeconds || now - iat - clockToleranceSeconds > maxTokenAgeSeconds)
      throw refused("identity token expired");
    return (Math.min(exp, iat + maxTokenAgeSeconds) + clockToleranceSeconds) * 1000;
  }

  /**
   * Server interceptor: a call with a valid token runs with its caller in the context values; a call
   * without one runs anonymous (reads are open; RPCs that need a caller refuse it); a call with a
   * forged, expired or misdirected token is refused before its handler or validation runs.
   */
  interceptor(): Interceptor {
    return (next) => async (req) => {
      const token = req.header.get(identityHeader);
      const verified = token ? await this.check(token) : undefined;
      // A vouching token is for one method: a status batch's token cannot join those users.
      if (verified?.vouch !== undefined && verified.rpc !== req.method.name)
        throw refused("identity token is for another call");
      req.contextValues.set(callerKey, verified?.caller);
      req.contextValues.set(vouchKey, verified?.vouch);
      req.contextValues.set(verifiedTokenKey, token ?? undefined);
      return next(req);
    };
  }
}

/**
 * Call options passing the caller's verified token on to another service unchanged. That service
 * accepts it only if the edge listed it in the token's audience (asCaller's `alsoFor`).
 */
export function forwardIdentity(ctx: { values: ContextValues }, signal?: AbortSignal): CallOptions {
  const token = ctx.values.get(verifiedTokenKey);
  return { headers: token ? { [identityHeader]: token } : {}, ...(signal ? { signal } : {}) };
}
