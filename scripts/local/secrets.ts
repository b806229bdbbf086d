// Secrets of a local stack, made once per data directory and kept there (git-ignored, mode 0600):
// the HS256 secret of local-mode bearer tokens and the edge's identity signing key pair. Every
// checkout gets its own, so no token or identity signed for one stack is accepted by another.
import { createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface LocalSecrets {
  /** JWT_SECRET for the edge's AUTH_MODE=local bearer tokens. */
  tokenSecret: string;
  /** The edge's Ed25519 private key (PKCS#8 PEM): IDENTITY_SIGNING_KEY, for the edge only. */
  identityPrivateKey: string;
  /** Its public half (SPKI PEM): IDENTITY_PUBLIC_KEYS, for the services. */
  identityPublicKey: string;
}

export function localSecrets(dataDir: string): LocalSecrets {
  const dir = join(dataDir, "secrets");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tokenSecret = readOrCreate(join(dir, "token-secret"), () => randomBytes(32).toString("hex"));
  const identityPrivateKey = readOrCreate(join(dir, "identity-key.pem"), () =>
    generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  );
  const identityPublicKey = createPublicKey(identityPrivateKey)
    .export({ type: "spki", format: "pem" })
    .toString();
  return { tokenSecret, identityPrivateKey, identityPublicKey };
}

function readOrCreate(path: string, make: () => string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  const value = make().trim();
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: "wx" });
  return value;
}
