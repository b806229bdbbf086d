import { publicKeysParser } from "../identity-keys.ts";
import { IdentityVerifier } from "../identity-token.ts";
import { createLogger } from "../logger.ts";
import { type RunningServer, type ServeOptions, serve } from "../server.ts";
import { testIdentityEnv } from "./identity.ts";

/**
 * A platform server on a free loopback port for tests: silent logs, verifying the test key pair's
 * identity tokens for `audience`; the rest of ServeOptions as given.
 */
export function serveForTest(
  audience: string,
  options: Pick<ServeOptions, "serviceNames" | "routes"> & Partial<ServeOptions>,
): Promise<RunningServer> {
  return serve({
    port: 0,
    host: "127.0.0.1",
    logger: createLogger("test", "silent"),
    identity: new IdentityVerifier(
      publicKeysParser(testIdentityEnv().IDENTITY_PUBLIC_KEYS, "IDENTITY_PUBLIC_KEYS"),
      audience,
    ),
    ...options,
  });
}
