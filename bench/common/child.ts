// Starts an entry point as a child process — one process per service, as deployed — with its
// output in a log file, and stops it again. A service runs from its bundle in dist/ (call
// buildAll() first), as deployed; anything else (a bench helper) through tsx.
import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { join } from "node:path";
import { builtPath, type Entry, entries } from "../../scripts/build.ts";

export interface Child {
  name: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function startChild(name: string, entry: string, env: Record<string, string>, logDir: string): Child {
  const log = openSync(join(logDir, `${name}.log`), "w");
  const args = (entries as readonly string[]).includes(entry)
    ? [builtPath(entry as Entry)]
    : ["--import", "tsx", entry];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Retries `check` until it resolves true or `timeoutMs` passes. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}
