// Runs the services (their bundles in dist/) as child processes: logs go to .data/logs/<name>.log, failures to the console.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { builtPath, type Entry } from "../build.ts";

export interface Child {
  name: string;
  process: ChildProcess;
  /** The last lines it wrote to stderr, for a useful message when it dies. */
  tail: string[];
}

export function startChild(
  root: string,
  name: string,
  entry: Entry,
  env: NodeJS.ProcessEnv,
  logDir: string,
): Child {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: "a" });
  // The bundle `npm run build` made, as deployed; source maps keep stack traces readable here.
  const child = spawn(process.execPath, ["--enable-source-maps", builtPath(entry)], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  child.stdout?.pipe(log);
  child.stderr?.on("data", (chunk: Buffer) => {
    log.write(chunk);
    tail.push(...chunk.toString().split("\n").filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  });
  return { name, process: child, tail };
}

/** SIGTERM each child (they drain in-flight calls), SIGKILL any still running after `graceMs`. */
export async function stopChildren(children: Child[], graceMs = 10_000): Promise<void> {
  await Promise.all(
    children.map(
      ({ process: child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}
