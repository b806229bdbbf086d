import { Code, ConnectError } from "@connectrpc/connect";
import { errors, jwtVerify, SignJWT } from "jose";
import type { Caller } from "#platform";

/** Signs and verifies the HS256 bearer tokens that carry a user id (`sub`) and role. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
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
    try {
      const { payload } = await jwtVerify(match[1], this.key, { issuer: this.issuer, algorithms: ["HS256"] });
      if (typeof payload.sub !== "string")
        throw new ConnectError("token has no subject", Code.Unauthenticated);
      return { userId: payload.sub, role: payload.role === "admin" ? "admin" : "user" };
    } catch (err) {
      if (err instanceof ConnectError) throw err;
      const reason = err instanceof errors.JWTExpired ? "token expired" : "invalid token";
      throw new ConnectError(reason, Code.Unauthenticated);
    }
  }
}
