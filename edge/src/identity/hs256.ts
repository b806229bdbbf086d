// Verification of the edge's own HS256 bearer tokens with node:crypto's synchronous HMAC. jose
// goes through WebCrypto (an async job, a key import and a DOMException per failure), which was
// 13 % of the edge's CPU on a burst of first requests (queue joins at an onsale's opening, each
// with a token never seen before); this is the same check in a few microseconds. Only what our
// own tokens use is accepted: the compact form, `alg` HS256 and no `crit`, a canonical signature.
import { createHmac, type KeyObject, timingSafeEqual } from "node:crypto";

export class TokenExpired extends Error {}
export class TokenInvalid extends Error {}

export interface Hs256Claims {
  sub?: unknown;
  role?: unknown;
  iss?: unknown;
  exp: number;
  [claim: string]: unknown;
}

const segment = /^[A-Za-z0-9_-]+$/;

function decodeJson(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new TokenInvalid("a token segment is not base64url JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new TokenInvalid("a token segment is not a JSON object");
  return value as Record<string, unknown>;
}

/**
 * The claims of `token` if it is signed with `key`, names `issuer`, has an expiry and is valid at
 * `nowSeconds` (exp after now; nbf, when present, not after now); else TokenExpired or TokenInvalid.
 */
export function verifyHs256(token: string, key: KeyObject, issuer: string, nowSeconds: number): Hs256Claims {
  const parts = token.split(".");
  const [header, payload, signature] = parts;
  if (parts.length !== 3 || !header || !payload || !signature || !parts.every((p) => segment.test(p)))
    throw new TokenInvalid("not a compact JWT");
  const given = Buffer.from(signature, "base64url");
  const expected = createHmac("sha256", key).update(`${header}.${payload}`).digest();
  // Length first (timingSafeEqual needs equal lengths), then the bytes, then the spelling: a
  // signature with stray trailing bits decodes to the same bytes and must not pass as another token.
  if (
    given.length !== expected.length ||
    !timingSafeEqual(given, expected) ||
    given.toString("base64url") !== signature
  )
    throw new TokenInvalid("signature mismatch");
  const head = decodeJson(header);
  if (head.alg !== "HS256" || head.crit !== undefined) throw new TokenInvalid("unexpected header");
  const claims = decodeJson(payload);
  if (claims.iss !== issuer) throw new TokenInvalid("another issuer");
  if (typeof claims.exp !== "number") throw new TokenInvalid("no expiry");
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > nowSeconds))
    throw new TokenInvalid("not valid yet");
  if (claims.exp <= nowSeconds) throw new TokenExpired("expired");
  return claims as Hs256Claims;
}
