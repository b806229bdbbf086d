import { createSecretKey, type KeyObject } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { SignJWT } from "jose";
import { type Caller, VerifiedTokens } from "#platform";
import { TokenExpired, verifyHs256 } from "./hs256.ts";

const maxRemembered = 50_000;

/**
 * Signs and verifies the HS256 bearer tokens that carry a user id (`sub`) and role. A verified
 * token is remembered until it expires: during an onsale every buyer sends the same token many
 * times, and an HMAC plus JSON parse per request was a measurable share of the edge's CPU.
 */
export class TokenService {
  private readonly key: KeyObject;
  private readonly verified = new VerifiedTokens(maxRemembered);

  constructor(
    secret: string,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createSecretKey(Buffer.from(secret, "utf8"));
  }

  async sign(caller: Caller): Promise<string> {
    return new SignJWT({ role: caller.role })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(caller.userId)
      .setIssuer(this.issuer)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** The caller named by an `Authorization` header value, or Unauthenticated. */
  async verify(authorization: string): Promise<Caller> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new ConnectError("Authorization must be 'Bearer <token>'", Code.Unauthenticated);
    const token = match[1];
    return this.verified.get(token, this.now()) ?? this.verifyToken(token);
  }

  private verifyToken(token: string): Caller {
    let claims: ReturnType<typeof verifyHs256>;
    try {
      claims = verifyHs256(token, this.key, this.issuer, Math.floor(this.now() / 1000));
    } catch (err) {
      throw new ConnectError(
        err instanceof TokenExpired ? "token expired" : "invalid token",
        Code.Unauthenticated,
      );
    }
    if (typeof claims.sub !== "string") throw new ConnectError("token has no subject", Code.Unauthenticated);
    const caller: Caller = { userId: claims.sub, role: claims.role === "admin" ? "admin" : "user" };
    this.verified.set(token, caller, claims.exp * 1000);
    return caller;
  }
}
