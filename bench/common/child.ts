// Starts an entry point as a child process — one process per service, as deployed — with its
// output in a log file, and stops it again. A service runs from its bundle in dist/ (call
// buildAll() first) with source maps on, as deployed; anything else (a bench helper) through tsx.
import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "#gen/grpc/health/v1/health_pb.js";
import { freePort } from "#platform";
import { builtPath, type Entry, entries } from "../../scripts/build.ts";

/** The edge children run with AUTH_MODE=jwt and this secret (the measured routes need no token). */
export const benchJwtSecret = "benchmark-secret-benchmark-secret-0123456789";

export interface Child {
  name: string;
  process: ChildProcess;
  /** The file its stdout and stderr go to. */
  log: string;
  stop(): Promise<void>;
}

/** `nodeArgs` go before the entry (e.g. --cpu-prof). */
export function startChild(
  name: string,
  entry: string,
  env: Record<string, string>,
  logDir: string,
  nodeArgs: string[] = [],
): Child {
  const log = join(logDir, `${name}.log`);
  const fd = openSync(log, "w");
  const args = (entries as readonly string[]).includes(entry)
    ? [...nodeArgs, "--enable-source-maps", builtPath(entry as Entry)]
    : [...nodeArgs, "--import", "tsx", entry];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", fd, fd],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name,
    process: child,
    log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Retries `check` until it resolves true or `timeoutMs` passes. Throws at once if one of
 * `children` (what is being waited for) exits in the meantime.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  children: Child | Child[] = [],
  timeoutMs = 30_000,
): Promise<void> {
  const watched = Array.isArray(children) ? children : [children];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    const gone = watched.find((c) => c.process.exitCode !== null || c.process.signalCode !== null);
    if (gone) {
      const how = gone.process.exitCode ?? gone.process.signalCode;
      throw new Error(`${what}: ${gone.name} exited (${how}) before it was ready; see ${gone.log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

/** Whether the gRPC service at `url` answers its health check with SERVING (services speak HTTP/2 only). */
export async function serving(url: string): Promise<boolean> {
  const health = createClient(Health, createGrpcTransport({ baseUrl: url, defaultTimeoutMs: 1000 }));
  return (await health.check({ service: "" })).status === HealthCheckResponse_ServingStatus.SERVING;
}

/**
 * Starts `entry` as `name` on a free port of 127.0.0.1 (PORT and HOST set) and waits until
 * `ready(url)`; stops it again if it does not get there. `nodeArgs` as for startChild.
 */
export async function startOnFreePort(
  name: string,
  entry: string,
  env: Record<string, string>,
  logDir: string,
  ready: (url: string) => Promise<boolean>,
  nodeArgs: string[] = [],
): Promise<{ url: string; child: Child }> {
  const port = await freePort();
  const child = startChild(name, entry, { ...env, PORT: String(port), HOST: "127.0.0.1" }, logDir, nodeArgs);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(name, () => ready(url), child);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { url, child };
}

/** The bare Fastify baseline (bench/common/hello-server.ts) on a free port; its route is `${url}/hello`. */
export function startHelloServer(logDir: string): Promise<{ url: string; child: Child }> {
  return startOnFreePort(
    "hello",
    "bench/common/hello-server.ts",
    {},
    logDir,
    async (url) => (await fetch(`${url}/hello`)).ok,
  );
}
