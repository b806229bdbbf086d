// Admission tokens of the waiting room: EdDSA (Ed25519) JWTs signed by the queue service with a
// private key, checked by the edge and by inventory with the public keys alone — so a checkout in
// progress keeps working while the queue (or its Redis) is down. `aud` is the event, `sub` the
// user, `exp` the end of the shopping window, `kid` names the key so keys can rotate: verifiers
// accept every key of their set, the signer uses one.

import { Code, ConnectError } from "@connectrpc/connect";
import {
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  jwtVerify,
  SignJWT,
} from "jose";
import { ConfigError } from "./config.ts";
import { reasonError } from "./errors.ts";
import { jwksFrom } from "./identity-keys.ts";

export const admissionIssuer = "ticketing-queue";
const algorithm = "EdDSA";

export interface AdmissionClaims {
  userId: string;
  eventId: string;
  /** End of the shopping window (ms since epoch). */
  expiresAtMs: number;
}

/** The 403 every missing or unusable admission token gets, at the edge and in inventory alike. */
export function admissionRequired(message: string): ConnectError {
  return reasonError(message, Code.PermissionDenied, "ADMISSION_REQUIRED");
}

/** Parses ADMISSION_PUBLIC_KEYS: a JWKS (`{"keys":[...]}`) of Ed25519 public keys with `kid`s. */
export function parsePublicKeys(text: string, name: string): JSONWebKeySet {
  const set = jwksFrom(text, name);
  for (const key of set.keys) {
    if (key.kty !== "OKP" || key.crv !== "Ed25519" || typeof key.x !== "string")
      throw new ConfigError(`${name}: every key must be an Ed25519 public key (kty OKP) with a kid`);
  }
  return set;
}

/** Parses ADMISSION_SIGNING_KEY: one Ed25519 private JWK with a `kid`. */
export function parseSigningKey(text: string, name: string): JWK & { kid: string } {
  let key: JWK;
  try {
    key = JSON.parse(text) as JWK;
  } catch {
    throw new ConfigError(`${name} must be a private JSON Web Key`);
  }
  if (key.kty !== "OKP" || key.crv !== "Ed25519" || typeof key.d !== "string" || !key.kid)
    throw new ConfigError(`${name} must be an Ed25519 private key (kty OKP, with d) with a kid`);
  return key as JWK & { kid: string };
}

/** Signs admission tokens (the queue service). Ed25519 signatures are deterministic: the same claims give the same token. */
export class AdmissionSigner {
  private readonly key: Promise<CryptoKey | Uint8Array>;
  private readonly kid: string;

  constructor(jwk: JWK & { kid: string }) {
    this.kid = jwk.kid;
    this.key = importJWK(jwk, algorithm);
  }

  async sign(claims: AdmissionClaims, admittedAtMs: number): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: algorithm, kid: this.kid, typ: "JWT" })
      .setIssuer(admissionIssuer)
      .setSubject(claims.userId)
      .setAudience(claims.eventId)
      .setIssuedAt(Math.floor(admittedAtMs / 1000))
      .setExpirationTime(Math.floor(claims.expiresAtMs / 1000))
      .sign(await this.key);
  }
}

/** Checks admission tokens with public keys only: signature, issuer, audience, subject, expiry. */
export class AdmissionVerifier {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;

  constructor(
    publicKeys: JSONWebKeySet,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = createLocalJWKSet(publicKeys);
  }

  /** The token's claims if it admits `userId` to `eventId` now; else the admission_required error. */
  async verify(token: string | undefined, eventId: string, userId: string): Promise<AdmissionClaims> {
    if (!token)
      throw admissionRequired(
        "this event has a waiting room: join the queue and send the admission token (Admission-Token header)",
      );
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: admissionIssuer,
        audience: eventId,
        algorithms: [algorithm],
        currentDate: new Date(this.now()),
      });
      if (payload.sub !== userId) throw admissionRequired("this admission token belongs to another user");
      return { userId, eventId, expiresAtMs: (payload.exp ?? 0) * 1000 };
    } catch (err) {
      if (err instanceof ConnectError) throw err;
      if (err instanceof errors.JWTExpired)
        throw admissionRequired("the admission token has expired: your shopping window is over");
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === "aud")
        throw admissionRequired("this admission token is for another event");
      throw admissionRequired("the admission token is not valid");
    }
  }
}

/** A fresh key pair as the two variables' values: for `npm start` (kept under .data/) and each test run. */
export async function generateAdmissionKeys(
  kid = `adm-${Date.now().toString(36)}`,
): Promise<{ signingKey: string; publicKeys: string }> {
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { crv: "Ed25519", extractable: true });
  const priv = { ...(await exportJWK(privateKey)), kid, alg: algorithm };
  const pub = { ...(await exportJWK(publicKey)), kid, alg: algorithm };
  return { signingKey: JSON.stringify(priv), publicKeys: JSON.stringify({ keys: [pub] }) };
}

/** Config parsers (see config.ts `env`) for the two variables. */
export const admissionEnv = {
  /** ADMISSION_PUBLIC_KEYS; unset means no token can be checked, so waiting-room events refuse every hold. */
  optionalPublicKeys:
    () =>
    (raw: string | undefined, name: string): JSONWebKeySet | undefined =>
      raw === undefined || raw === "" ? undefined : parsePublicKeys(raw, name),
  signingKey:
    () =>
    (raw: string | undefined, name: string): JWK & { kid: string } => {
      if (raw === undefined || raw === "") throw new ConfigError(`${name} is required but not set`);
      return parseSigningKey(raw, name);
    },
};
