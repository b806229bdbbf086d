// Static checks of the Dockerfile (no Docker engine is needed): the base image, a production-only
// install, and a numeric non-root user in the final stage.
import { existsSync, readFileSync } from "node:fs";

/** Returns the rule violations of the Dockerfile at `path` (empty when it passes). */
export function checkDockerfile(path: string): string[] {
  if (!existsSync(path)) return ["Dockerfile is missing"];
  // Join continuation lines, drop comments.
  const lines = readFileSync(path, "utf8")
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const problems: string[] = [];
  const args = new Map<string, string>();
  for (const l of lines) {
    const m = /^ARG\s+(\w+)=(\S+)/i.exec(l);
    if (m?.[1] && m[2]) args.set(m[1], m[2]);
  }
  const expand = (s: string) =>
    s.replace(/\$\{?(\w+)\}?/g, (_, name: string) => args.get(name) ?? `$${name}`);
  const stages = lines.filter((l) => /^FROM\s/i.test(l)).map((l) => expand(l.split(/\s+/)[1] ?? ""));
  if (stages.length < 2) problems.push("not a multi-stage build");
  for (const image of stages) {
    if (!/^node:24(\.[0-9.]+)?-slim(@sha256:[0-9a-f]{64})?$/.test(image))
      problems.push(`base image ${image} is not node:24-slim`);
  }
  const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l));
  const final = lines.slice(lastFrom);
  const user = final.filter((l) => /^USER\s/i.test(l)).at(-1);
  const uid = user ? expand(user.split(/\s+/)[1] ?? "").split(":")[0] : undefined;
  if (!uid) problems.push("the final stage sets no USER");
  else if (!/^[0-9]+$/.test(uid) || uid === "0") problems.push(`USER ${uid} is not a numeric non-root uid`);
  if (!lines.some((l) => /npm ci\b.*--omit=dev/.test(l))) problems.push("no `npm ci --omit=dev`");
  if (lines.some((l) => /^ADD\s+https?:/i.test(l))) problems.push("ADD of a remote URL");
  if (!final.some((l) => /^(ENTRYPOINT|CMD)\s/i.test(l)))
    problems.push("the final stage has no ENTRYPOINT/CMD");
  return problems;
}
