import { execFile } from "node:child_process";

export interface ScriptResult {
  code: number;
  stderr: string;
}

/** Runs one of the repository's TypeScript entry points the way npm does, and reports how it ended. */
export function runScript(
  script: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      "node",
      ["--import", "tsx", script, ...args],
      { env: { ...process.env, ...env }, timeout: 20_000 },
      (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }),
    );
  });
}
