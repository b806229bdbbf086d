// Service boundaries as a test: a service's source imports only its own files, gen/ and the
// platform, and the platform imports nothing domain-specific.
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

describe("source boundaries", () => {
  const owners = ["services/catalog", "services/search", "services/inventory", "services/queue", "edge"];

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
});
