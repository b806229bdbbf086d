import { Code, ConnectError } from "@connectrpc/connect";
import { errors, jwtVerify, SignJWT } from "jose";
import { type Caller, VerifiedTokens } from "#platform";

const maxRemembered = 50_000;

/**
 * Signs and verifies the HS256 bearer tokens that carry a user id (`sub`) and role. A verified
 * token is remembered until it expires: during an onsale every buyer sends the same token many
 * times, and an HMAC plus JSON parse per request was a measurable share of the edge's CPU.
 */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new VerifiedTokens(maxRemembered);

  constructor(
    secret: string,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = new TextEncoder().encode(secret);
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

  private async verifyToken(token: string): Promise<Caller> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: this.issuer,
        algorithms: ["HS256"],
        // A token without an expiry would be valid for ever: refused.
        requiredClaims: ["exp"],
        currentDate: new Date(this.now()),
      });
      if (typeof payload.sub !== "string")
        throw new ConnectError("token has no subject", Code.Unauthenticated);
      const caller: Caller = { userId: payload.sub, role: payload.role === "admin" ? "admin" : "user" };
      if (typeof payload.exp === "number") this.verified.set(token, caller, payload.exp * 1000);
      return caller;
    } catch (err) {
      if (err instanceof ConnectError) throw err;
      const reason = err instanceof errors.JWTExpired ? "token expired" : "invalid token";
      throw new ConnectError(reason, Code.Unauthenticated);
    }
  }
}
