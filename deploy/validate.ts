// Offline validation of everything under deploy/: renders the kustomize base and each overlay
// (kubectl kustomize when kubectl is installed, else the built-in renderer), validates every object
// against the Kubernetes OpenAPI schema (kubernetes-models), checks the house policy, and lints the
// Dockerfile. Prints a table; exits non-zero on any problem.
//
//   node --import tsx deploy/validate.ts [--renderer=builtin|kubectl] [--json]
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkDockerfile } from "./lib/dockerfile.ts";
import { type K8sObject, type Renderer, render } from "./lib/kustomize.ts";
import { checkPolicy, idOf, type PolicyOptions } from "./lib/policy.ts";
import { schemaErrors } from "./lib/schema.ts";

export const deployDir = import.meta.dirname;
const repoRoot = join(deployDir, "..");

/** What gets rendered and the policy each target must meet. */
export const targets: { name: string; dir: string; policy: PolicyOptions }[] = [
  {
    name: "base",
    dir: "k8s/base",
    policy: {
      minReplicas: 2,
      externalSecrets: ["ticketing-secrets", "queue-admission-key", "ticketing-identity"],
    },
  },
  {
    name: "local",
    dir: "k8s/overlays/local",
    policy: {
      minReplicas: 1,
      externalSecrets: ["ticketing-secrets", "queue-admission-key", "ticketing-identity"],
    },
  },
  {
    name: "production",
    dir: "k8s/overlays/production",
    policy: {
      minReplicas: 2,
      externalSecrets: ["ticketing-secrets", "queue-admission-key", "ticketing-identity"],
    },
  },
];

export type Problem = { target: string; object: string; message: string };
export type ObjectResult = { id: string; kind: string; name: string; problems: number };
export type TargetReport = {
  target: string;
  renderer: Renderer;
  objects: K8sObject[];
  results: ObjectResult[];
  problems: Problem[];
};
export type Report = { ok: boolean; targets: TargetReport[]; problems: Problem[] };

/** Renders and checks one target. Rendering failures are reported, not thrown. */
export async function validateTarget(
  target: (typeof targets)[number],
  renderer?: Renderer,
): Promise<TargetReport> {
  const problems: Problem[] = [];
  let objects: K8sObject[] = [];
  let used: Renderer = renderer ?? "builtin";
  try {
    const rendered = render(join(deployDir, target.dir), renderer);
    objects = rendered.objects;
    used = rendered.renderer;
  } catch (err) {
    problems.push({
      target: target.name,
      object: "(render)",
      message: (err as Error).message.split("\n")[0] ?? "",
    });
  }
  const seen = new Set<string>();
  for (const o of objects) {
    const id = idOf(o);
    if (seen.has(id)) problems.push({ target: target.name, object: id, message: "rendered twice" });
    seen.add(id);
    for (const message of await schemaErrors(o)) problems.push({ target: target.name, object: id, message });
  }
  for (const v of checkPolicy(objects, target.policy)) problems.push({ target: target.name, ...v });
  const results = objects.map((o) => ({
    id: idOf(o),
    kind: o.kind,
    name: o.metadata.name,
    problems: problems.filter((p) => p.object === idOf(o)).length,
  }));
  return { target: target.name, renderer: used, objects, results, problems };
}

/** Validates the Dockerfile and every target. */
export async function validateDeploy(options: { renderer?: Renderer } = {}): Promise<Report> {
  const reports: TargetReport[] = [];
  for (const target of targets) reports.push(await validateTarget(target, options.renderer));
  const docker = checkDockerfile(join(repoRoot, "Dockerfile")).map((message) => ({
    target: "image",
    object: "Dockerfile",
    message,
  }));
  const problems = [...docker, ...reports.flatMap((r) => r.problems)];
  return { ok: problems.length === 0, targets: reports, problems };
}

/** A plain-text table: one row per rendered object and target, then the problems. */
export function formatReport(report: Report): string {
  const names = report.targets.map((t) => t.target);
  const ids = [...new Set(report.targets.flatMap((t) => t.results.map((r) => r.id)))];
  const cell = (t: TargetReport, id: string) => {
    const r = t.results.find((x) => x.id === id);
    return r === undefined ? "-" : r.problems === 0 ? "ok" : `${r.problems} problem(s)`;
  };
  const rows = [
    ["OBJECT", ...names.map((n) => n.toUpperCase())],
    ...ids.map((id) => [id, ...report.targets.map((t) => cell(t, id))]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  lines.push("", `renderer: ${report.targets.map((t) => `${t.target}=${t.renderer}`).join(", ")}`);
  if (report.problems.length === 0) {
    lines.push(`Dockerfile: ok`, `all ${ids.length} objects in ${names.length} targets valid`);
  } else {
    lines.push(`${report.problems.length} problem(s):`);
    for (const p of report.problems) lines.push(`  [${p.target}] ${p.object}: ${p.message}`);
  }
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const rendererArg = argv.find((a) => a.startsWith("--renderer="))?.split("=")[1];
  if (rendererArg !== undefined && rendererArg !== "builtin" && rendererArg !== "kubectl") {
    process.stderr.write(`unknown renderer ${rendererArg} (builtin or kubectl)\n`);
    return 2;
  }
  const report = await validateDeploy(rendererArg ? { renderer: rendererArg } : {});
  if (argv.includes("--json")) {
    const { targets: reports, ...rest } = report;
    const slim = reports.map(({ objects: _, ...t }) => t);
    process.stdout.write(`${JSON.stringify({ ...rest, targets: slim }, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatReport(report)}\n`);
  }
  return report.ok ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
