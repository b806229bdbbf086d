// The edge's identity keys as configuration: the private key (edge only) as a PKCS#8 PEM, the
// public keys (services) as a JWKS or one or more SPKI PEMs. Parsed at start-up so a malformed key
// stops the process with one line naming the variable; the values themselves are never printed.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { JSONWebKeySet, JWK } from "jose";
import { ConfigError } from "./config.ts";

/** Algorithms an identity key may use, by key type: Ed25519 (EdDSA) or P-256 (ES256). */
export const identityAlgorithms = ["EdDSA", "ES256"] as const;
export type IdentityAlgorithm = (typeof identityAlgorithms)[number];

export function algorithmOf(key: KeyObject): IdentityAlgorithm | undefined {
  if (key.asymmetricKeyType === "ed25519") return "EdDSA";
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ES256";
  return undefined;
}

/** A key from the environment: literal `\n` accepted for one-line env files. */
const pemText = (raw: string | undefined) => (raw ?? "").replaceAll("\\n", "\n").trim();

/** IDENTITY_SIGNING_KEY: the edge's private key, PKCS#8 PEM (literal `\n` accepted for one-line env files). */
export const signingKeyParser = (raw: string | undefined, name: string): KeyObject => {
  const text = pemText(raw);
  if (!text)
    throw new ConfigError(`${name} is required but not set (the edge's Ed25519 or P-256 private key, PEM)`);
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new ConfigError(`${name} must be a PEM private key (PKCS#8)`);
  }
  if (!algorithmOf(key)) throw new ConfigError(`${name} must be an Ed25519 or P-256 key`);
  return key;
};

/** IDENTITY_PUBLIC_KEYS: a JWKS (`{"keys":[…]}`) or one or more PEM public keys, for key rotation. */
export const publicKeysParser = (raw: string | undefined, name: string): JSONWebKeySet => {
  const text = pemText(raw);
  if (!text) throw new ConfigError(`${name} is required but not set (the edge's public key(s): JWKS or PEM)`);
  if (text.startsWith("{")) return jwksFrom(text, name);
  const pems = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g);
  if (!pems) throw new ConfigError(`${name} must be a JWKS or PEM public key(s)`);
  return { keys: pems.map((pem) => publicJwk(pem, name)) };
};

/** A JWKS of public keys, each with a `kid`; shared by the identity and admission key settings. */
export function jwksFrom(text: string, name: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${name} is not valid JSON`);
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new ConfigError(`${name} must be a JWKS: {"keys":[…]}`);
  for (const jwk of keys as JWK[]) {
    if (jwk.d !== undefined) throw new ConfigError(`${name} holds a private key: give public keys only`);
    if (typeof jwk.kid !== "string") throw new ConfigError(`${name}: every key needs a "kid"`);
  }
  return { keys: keys as JWK[] };
}

function publicJwk(pem: string, name: string): JWK {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new ConfigError(`${name} holds a PEM block that is not a public key`);
  }
  const alg = algorithmOf(key);
  if (!alg) throw new ConfigError(`${name} must hold Ed25519 or P-256 keys`);
  const jwk = key.export({ format: "jwk" }) as JWK;
  return { ...jwk, alg, kid: keyId(jwk) };
}

/** A key's id: its RFC 7638 thumbprint, so edge and services agree on it without configuring one. */
export function keyId(jwk: JWK): string {
  // Members in lexicographic order, as RFC 7638 requires (sync, unlike jose's helper).
  const members =
    jwk.kty === "OKP"
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash("sha256").update(JSON.stringify(members)).digest("base64url");
}

/** Variables of every service that verifies the edge's identity tokens. */
export const serviceIdentitySpec = { IDENTITY_PUBLIC_KEYS: publicKeysParser };
