// Verification of the edge's own HS256 bearer tokens with node:crypto's synchronous HMAC. jose
// goes through WebCrypto (an async job, a key import and a DOMException per failure), which was
// 13 % of the edge's CPU on a burst of first requests (queue joins at an onsale's opening, each
// with a token never seen before); this is the same check in a few microseconds. Only what our
// own tokens use is accepted: the compact form, `alg` HS256 and no `crit`, a canonical signature.
import { createHmac, type KeyObject, timingSafeEqual } from "node:crypto";
import { decodeSegment, splitJws } from "#platform";

export class TokenExpired extends Error {}
export class TokenInvalid extends Error {}

export interface Hs256Claims {
  sub?: unknown;
  role?: unknown;
  iss?: unknown;
  exp: number;
  [claim: string]: unknown;
}

/**
 * The claims of `token` if it is signed with `key`, names `issuer`, has an expiry and is valid at
 * `nowSeconds` (exp after now; nbf, when present, not after now); else TokenExpired or another
 * error (TokenInvalid, or the platform's InvalidJws for a malformed token).
 */
export function verifyHs256(token: string, key: KeyObject, issuer: string, nowSeconds: number): Hs256Claims {
  const { input, header, payload, signature } = splitJws(token);
  const expected = createHmac("sha256", key).update(input).digest();
  // Length first: timingSafeEqual needs equal lengths.
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected))
    throw new TokenInvalid("signature mismatch");
  if (header.alg !== "HS256" || header.crit !== undefined) throw new TokenInvalid("unexpected header");
  const claims = decodeSegment(payload);
  if (claims.iss !== issuer) throw new TokenInvalid("another issuer");
  if (typeof claims.exp !== "number") throw new TokenInvalid("no expiry");
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > nowSeconds))
    throw new TokenInvalid("not valid yet");
  if (claims.exp <= nowSeconds) throw new TokenExpired("expired");
  return claims as Hs256Claims;
}
