// The waiting room's admission-token key pair for a local stack, made once per data directory and
// kept there (git-ignored, mode 0600) like the stack's other secrets: the queue signs with the
// private key, the edge and inventory verify with the public set.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateAdmissionKeys } from "#platform";

export async function localAdmissionKeys(
  dataDir: string,
): Promise<{ signingKey: string; publicKeys: string }> {
  const path = join(dataDir, "secrets", "admission-keys.json");
  if (existsSync(path))
    return JSON.parse(readFileSync(path, "utf8")) as { signingKey: string; publicKeys: string };
  const keys = await generateAdmissionKeys(`local-${Date.now().toString(36)}`);
  writeFileSync(path, `${JSON.stringify(keys)}\n`, { mode: 0o600, flag: "wx" });
  return keys;
}
