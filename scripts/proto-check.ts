// `npm run proto:check`: buf lint, and buf breaking (FILE rules) against the protos on `main`
// (or BUF_AGAINST_REF). The printed validate.proto is not in git, so the baseline is assembled
// in .build/against from `git archive` plus that file, and built into an image to compare with.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const buf = join(root, "node_modules/.bin/buf");
const ref = process.env.BUF_AGAINST_REF ?? "main";
const run = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { cwd: root, stdio: "inherit" });
  } catch {
    process.stderr.write(`proto check failed: ${args[0]} reported the problems above\n`);
    process.exit(1);
  }
};

run(buf, ["lint"]);
const against = join(root, ".build/against");
rmSync(against, { recursive: true, force: true });
mkdirSync(against, { recursive: true });
const hasBaseline = (() => {
  try {
    execFileSync("git", ["cat-file", "-e", `${ref}:proto`], { cwd: root, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!hasBaseline) {
  process.stdout.write(`buf breaking: no protos on ${ref} yet, nothing to compare\n`);
  process.exit(0);
}
const archive = execFileSync("git", ["archive", ref, "proto"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
execFileSync("tar", ["-x", "-C", against], { input: archive });
cpSync(join(root, ".build/proto-deps"), join(against, "deps"), { recursive: true });
writeFileSync(join(against, "buf.yaml"), "version: v2\nmodules:\n  - path: proto\n  - path: deps\n");
run(buf, ["build", against, "-o", join(root, ".build/against.binpb")]);
run(buf, ["breaking", "proto", "--against", join(root, ".build/against.binpb")]);
process.stdout.write(`buf breaking: no breaking changes against ${ref}\n`);
