// Service boundaries as a test: a service's source imports only its own files, gen/ and the
// platform; the platform imports nothing domain-specific; the folders inside one service's source
// do not import each other in a cycle; and production code never imports test code.
import { globSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect } from "chai";

const root = join(import.meta.dirname, "../..");
const importPattern =
  /(?:^|\s)(?:import|export)\s[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(importPattern)].map((m) => (m[1] ?? m[2]) as string);
}

/** Where a relative import lands, as a path from the repository root. */
function target(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return relative(root, resolve(join(root, dirname(file)), specifier));
}

/**
 * The folder a file of `owner/src` belongs to: its first folder under src/. Files directly in
 * src/ (main.ts, app.ts, deps.ts, config.ts) are the wiring that knows every folder, not a folder:
 * undefined.
 */
function folderOf(owner: string, path: string): string | undefined {
  const [first, ...rest] = relative(`${owner}/src`, path).split("/");
  return rest.length > 0 ? `${first}/` : undefined;
}

/** Edges `from → to` between the folders of `owner/src`, each with one import that makes it. */
function folderGraph(owner: string): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of globSync(`${owner}/src/**/*.ts`, { cwd: root })) {
    const from = folderOf(owner, file);
    if (from === undefined) continue;
    for (const specifier of importsOf(file)) {
      const path = target(file, specifier);
      if (path === undefined || !path.startsWith(`${owner}/src/`)) continue;
      const to = folderOf(owner, path);
      if (to === undefined || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${file} → ${specifier}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every cycle of the graph, once each, as the imports that close it (depth-first search). */
function cyclesOf(graph: Map<string, Map<string, string>>): string[][] {
  const cycles = new Map<string, string[]>();
  const visit = (node: string, path: string[]) => {
    for (const [next, why] of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const loop = [...path.slice(at), next];
        const key = [...loop.slice(0, -1)].sort().join(" ");
        if (!cycles.has(key)) {
          cycles.set(
            key,
            loop.slice(0, -1).map((n, i) => graph.get(n)?.get(loop[i + 1] as string) ?? why),
          );
        }
      } else if (path.length < 12) {
        visit(next, [...path, next]);
      }
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return [...cycles.values()];
}

/** Test code: anything under a test/ folder, and the platform's test helpers. */
const isTestCode = (path: string) => /(^|\/)test\//.test(path) || path.startsWith("platform/src/testing");

describe("source boundaries", () => {
  const owners = [
    ...globSync("services/*/src", { cwd: root })
      .map((p) => dirname(p))
      .sort(),
    "edge",
  ];

  for (const owner of owners) {
    it(`${owner}/src imports only its own code, gen/ and the platform`, () => {
      const offenders: string[] = [];
      for (const file of globSync(`${owner}/src/**/*.ts`, { cwd: root })) {
        for (const specifier of importsOf(file)) {
          const path = target(file, specifier);
          if (path !== undefined && !path.startsWith(`${owner}/`)) offenders.push(`${file} → ${specifier}`);
          if (specifier.startsWith("#") && !/^#(gen|platform)(\/|$)/.test(specifier))
            offenders.push(`${file} → ${specifier}`);
        }
      }
      expect(offenders).to.deep.equal([]);
    });
  }

  it("platform/src has nothing domain-specific: no service, edge or ticketing contract imports", () => {
    const offenders = globSync("platform/src/**/*.ts", { cwd: root }).flatMap((file) =>
      importsOf(file)
        .filter(
          (s) =>
            s.startsWith("#gen/ticketing") ||
            (target(file, s) ?? "platform/").startsWith("platform/") === false,
        )
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).to.deep.equal([]);
  });

  for (const owner of owners) {
    it(`${owner}/src has no import cycle between its folders`, () => {
      expect(cyclesOf(folderGraph(owner))).to.deep.equal([]);
    });
  }

  it("production code (services, edge and platform src/) imports no test code", () => {
    const production = [
      ...owners.flatMap((owner) => globSync(`${owner}/src/**/*.ts`, { cwd: root })),
      ...globSync("platform/src/**/*.ts", { cwd: root }).filter((f) => !isTestCode(f)),
    ];
    const offenders = production.flatMap((file) =>
      importsOf(file)
        .filter((s) => s.startsWith("#platform/testing") || isTestCode(target(file, s) ?? ""))
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).to.deep.equal([]);
  });

  it("benchmarks and scripts import nothing from a test/ folder (shared harnesses live in scripts/)", () => {
    const files = [
      ...globSync("bench/**/*.ts", { cwd: root }),
      ...globSync("scripts/**/*.ts", { cwd: root }).filter((f) => !f.startsWith("scripts/test/")),
    ];
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter((s) => /(^|\/)test\//.test(target(file, s) ?? ""))
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).to.deep.equal([]);
  });

  it("service modules the storefront bundles import nothing (no package, no #platform, no #gen)", () => {
    const shared = globSync("web/src/**/*.{ts,tsx}", { cwd: root }).flatMap((file) =>
      importsOf(file)
        .map((s) => target(file, s) ?? "")
        .filter((path) => path.startsWith("services/")),
    );
    // A server import there (card.ts importing #platform) drags pg and ioredis into the browser.
    const offenders = [...new Set(shared)].flatMap((file) =>
      importsOf(file)
        .filter((s) => !s.startsWith("."))
        .map((s) => `${file} → ${s}`),
    );
    expect(shared).to.not.be.empty;
    expect(offenders).to.deep.equal([]);
  });
});
