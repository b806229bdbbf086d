// Identity for tests: one Ed25519 key pair per test process (made on first use), the variables
// that hand it to the edge and the services, and clients that sign a caller like the edge does.
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import type { DescService } from "@bufbuild/protobuf";
import { type Client, createContextValues, type HandlerContext } from "@connectrpc/connect";
import { decodeProtectedHeader, SignJWT, UnsecuredJWT } from "jose";
import { serviceClient } from "../client.ts";
import { type Caller, callerKey } from "../identity.ts";
import { IdentitySigner, identityHeader, identityIssuer } from "../identity-token.ts";

interface TestKeys {
  privateKey: KeyObject;
  env: { IDENTITY_SIGNING_KEY: string; IDENTITY_PUBLIC_KEYS: string };
}
let keys: TestKeys | undefined;
let signer: IdentitySigner | undefined;

function testKeys(): TestKeys {
  if (!keys) {
    const pair = generateKeyPairSync("ed25519");
    keys = {
      privateKey: pair.privateKey,
      env: {
        IDENTITY_SIGNING_KEY: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        IDENTITY_PUBLIC_KEYS: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
      },
    };
  }
  return keys;
}

/** IDENTITY_SIGNING_KEY and IDENTITY_PUBLIC_KEYS of the test process's key pair. */
export const testIdentityEnv = () => testKeys().env;

/** Signs with the test key pair, as the edge signs with its own. */
export function testSigner(): IdentitySigner {
  signer ??= new IdentitySigner(testKeys().privateKey);
  return signer;
}

/** The audience of a service: "catalog" for ticketing.catalog.v1.CatalogService. */
export const audienceOf = (service: DescService): string =>
  service.typeName.split(".")[1] ?? service.typeName;

/** A client that signs the caller given with `asCaller(...)` into each call, like the edge's clients. */
export function signedClient<T extends DescService>(service: T, baseUrl: string): Client<T> {
  return serviceClient(service, baseUrl, [testSigner().interceptor(audienceOf(service))]);
}

/** A HandlerContext stand-in carrying a verified caller, for calling a service class directly. */
export function callerContext(caller: Caller): HandlerContext {
  return { values: createContextValues().set(callerKey, caller) } as HandlerContext;
}

/**
 * Request headers an attacker might send a service directly, each naming `caller` for `audience`:
 * bare identity headers, a token signed with another key (also under the real key's id), an
 * expired token and a token for another service (both signed with the real key), and `alg: none`.
 */
export async function forgedIdentityHeaders(
  caller: Caller,
  audience: string,
): Promise<Record<string, Record<string, string>>> {
  const real = testKeys().privateKey;
  const other = generateKeyPairSync("ed25519").privateKey;
  const realKid = decodeProtectedHeader(await testSigner().sign(caller, audience)).kid ?? "";
  const claims = { role: caller.role };
  const now = Math.floor(Date.now() / 1000);
  const underRealKid = await new SignJWT(claims)
    .setProtectedHeader({ alg: "EdDSA", kid: realKid })
    .setIssuer(identityIssuer)
    .setAudience(audience)
    .setSubject(caller.userId)
    .setIssuedAt(now)
    .setExpirationTime(now + 10)
    .sign(other);
  const token = (t: string) => ({ [identityHeader]: t });
  return {
    "bare x-user-id/x-user-role headers": { "x-user-id": caller.userId, "x-user-role": caller.role },
    "a token signed with another key": token(await new IdentitySigner(other).sign(caller, audience)),
    "another key under the edge's key id": token(underRealKid),
    "an expired token": token(
      await new IdentitySigner(real, () => Date.now() - 60_000).sign(caller, audience),
    ),
    "a token for another service": token(await testSigner().sign(caller, `not-${audience}`)),
    "an unsigned (alg none) token": token(
      new UnsecuredJWT(claims)
        .setIssuer(identityIssuer)
        .setAudience(audience)
        .setSubject(caller.userId)
        .setIssuedAt(now)
        .setExpirationTime(now + 10)
        .encode(),
    ),
  };
}
