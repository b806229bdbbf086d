// redlock 5's package exports carry no types, so tsconfig `paths` maps "redlock" to its .d.ts.
// tsx applies that mapping at run time too and would load the declarations (a class without
// methods) instead of the code. Types come from the mapping; the code is loaded by file path.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as RedlockTypes from "redlock";

function locate(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "node_modules/redlock/dist/esm/index.js");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("redlock is not installed");
    dir = parent;
  }
}

const mod = (await import(pathToFileURL(locate()).href)) as typeof RedlockTypes;

export const Redlock = mod.default;
export type Redlock = RedlockTypes.default;
export const { ExecutionError, Lock, ResourceLockedError } = mod;
export type Lock = RedlockTypes.Lock;
