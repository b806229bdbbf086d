// Signing and checking the identity tokens' signatures with node:crypto's synchronous sign and
// verify. jose goes through WebCrypto: an async job per operation and a DOMException per failure,
// which at an onsale's opening (a fresh token per batch of joins, per new buyer on the booking
// path) was several percent of the edge and the queue. Only what our tokens use is accepted: the
// compact form, `alg` EdDSA or ES256 matching the key named by `kid`, no `crit`.
import { createPublicKey, type JsonWebKey, type KeyObject, sign, verify } from "node:crypto";
import type { JSONWebKeySet, JWK } from "jose";
import { algorithmOf, type IdentityAlgorithm } from "./identity-keys.ts";

export class InvalidJws extends Error {}

const segment = /^[A-Za-z0-9_-]+$/;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function signature(alg: IdentityAlgorithm, input: string, key: KeyObject): Buffer {
  return alg === "EdDSA"
    ? sign(null, Buffer.from(input), key)
    : sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
}

/** A compact JWS of `claims`, signed with `key` (header: alg, kid, typ JWT). */
export function signJws(key: KeyObject, alg: IdentityAlgorithm, kid: string, claims: object): string {
  const input = `${encode({ alg, kid, typ: "JWT" })}.${encode(claims)}`;
  return `${input}.${signature(alg, input, key).toString("base64url")}`;
}

/** The public keys of a JWKS by `kid`, each with its algorithm; keys of other kinds are left out. */
export function jwsKeys(jwks: JSONWebKeySet): Map<string, { key: KeyObject; alg: IdentityAlgorithm }> {
  const keys = new Map<string, { key: KeyObject; alg: IdentityAlgorithm }>();
  for (const jwk of jwks.keys as JWK[]) {
    if (typeof jwk.kid !== "string") continue;
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
    } catch {
      continue;
    }
    const alg = algorithmOf(key);
    if (alg && (jwk.alg === undefined || jwk.alg === alg)) keys.set(jwk.kid, { key, alg });
  }
  return keys;
}

/** A compact JWS taken apart: the signed input, the decoded header, the payload segment, the signature. */
export interface CompactJws {
  input: string;
  header: Record<string, unknown>;
  payload: string;
  signature: Buffer;
}

/**
 * Splits a compact JWS and decodes its header; InvalidJws unless it is three base64url segments
 * with a canonically spelled signature (trailing bits that decode to the same bytes must not
 * make another token).
 */
export function splitJws(token: string): CompactJws {
  const parts = token.split(".");
  const [header, payload, sig] = parts;
  if (parts.length !== 3 || !header || !payload || !sig || !parts.every((p) => segment.test(p)))
    throw new InvalidJws("not a compact JWS");
  const signature = Buffer.from(sig, "base64url");
  if (signature.toString("base64url") !== sig) throw new InvalidJws("non-canonical signature");
  return { input: `${header}.${payload}`, header: decodeSegment(header), payload, signature };
}

/** The claims of a token signed by one of `keys`; InvalidJws for anything else. */
export function verifyJws(
  token: string,
  keys: ReadonlyMap<string, { key: KeyObject; alg: IdentityAlgorithm }>,
): Record<string, unknown> {
  const { input, header, payload, signature } = splitJws(token);
  const known = typeof header.kid === "string" ? keys.get(header.kid) : undefined;
  if (!known || header.alg !== known.alg || header.crit !== undefined)
    throw new InvalidJws("unknown key or algorithm");
  const data = Buffer.from(input);
  const ok =
    known.alg === "EdDSA"
      ? verify(null, data, known.key, signature)
      : verify("sha256", data, { key: known.key, dsaEncoding: "ieee-p1363" }, signature);
  if (!ok) throw new InvalidJws("signature mismatch");
  return decodeSegment(payload);
}

/** A base64url JSON object segment; InvalidJws for anything else. */
export function decodeSegment(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new InvalidJws("a segment is not base64url JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InvalidJws("a segment is not a JSON object");
  return value as Record<string, unknown>;
}
