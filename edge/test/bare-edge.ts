// An edge with no backend behind it (every service address is a closed port) and its own Redis
// prefix: enough for what the edge answers by itself — input checks, error shapes, CORS, limits.
import { randomUUID } from "node:crypto";
import { createTestRedisPrefix, testIdentityEnv, testRedisUrl } from "#platform/testing";
import { loadEdgeConfig } from "../src/config.ts";
import { build } from "../src/main.ts";

export interface BareEdge {
  url: string;
  edge: Awaited<ReturnType<typeof build>>;
  /** A bearer token for a fresh user (or an admin). */
  token(role?: "user" | "admin"): Promise<string>;
  close(): Promise<void>;
}

export async function startBareEdge(label: string, env: Record<string, string> = {}): Promise<BareEdge> {
  const redis = createTestRedisPrefix(label);
  const closed = "http://127.0.0.1:1";
  const edge = await build(
    loadEdgeConfig({
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
      LOG_LEVEL: "silent",
      AUTH_MODE: "jwt",
      JWT_SECRET: "a-test-secret-that-is-long-enough-for-hs256",
      CATALOG_SERVICE_ADDR: closed,
      SEARCH_SERVICE_ADDR: closed,
      INVENTORY_SERVICE_ADDR: closed,
      // Like the whole-stack harness: tests that exercise the limits turn them on themselves.
      RATE_LIMITS: "false",
      ...testIdentityEnv(),
      ...env,
    }),
  );
  const url = await edge.app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url,
    edge,
    token: (role = "user") => edge.deps.tokens.sign({ userId: randomUUID(), role }),
    async close() {
      await edge.close();
      await redis.clear();
    },
  };
}
