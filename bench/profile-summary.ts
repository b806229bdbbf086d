// Summarizes the CPU profiles `BENCH_PROFILE=1 npm run bench:booking` writes to .build/prof/:
// per process (named by its entry bundle), the busy share of its wall time, the top functions by
// self time and by inclusive time, and self time per package or source file. Bundled frames are
// mapped back to their TypeScript source through the bundles' source maps.
//
//   node --import tsx bench/profile-summary.ts [dir] [--last <seconds>] [--top <n>]
//     [--callers <regex> [--depth <n>] [--full]]
//
// `--last` keeps only the samples of the final seconds of each profile (default 10: the measure
// that ran just before the stack stopped), so start-up, sign-in and warm-up are left out.
import { readdirSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const dir = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? ".build/prof";
const lastSeconds = option("--last", 10);
const top = option("--top", 15);
/** `--callers <regex>`: for functions matching it, the call paths (innermost first) that lead there. */
const callersOf = args.includes("--callers")
  ? new RegExp(args[args.indexOf("--callers") + 1] as string)
  : null;
/** `--depth <n>` callers per path (default 6); `--full` names each caller with its file and line. */
const depth = option("--depth", 6);
const fullFrames = args.includes("--full");
const root = process.cwd();

const maps = new Map<string, SourceMap | null>();
/** The source map of a bundle in dist/, if it has one. */
function mapOf(url: string): SourceMap | null {
  if (!maps.has(url)) {
    let map: SourceMap | null = null;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, "utf8")));
    } catch {
      // not a bundle of ours
    }
    maps.set(url, map);
  }
  return maps.get(url) ?? null;
}

/** Where a frame's code is written: a source file of ours, a package, or a V8/Node category. */
function locate(frame: CallFrame): { file: string; line: number } {
  const { url } = frame;
  if (!url) return { file: `(${frame.functionName || "native"})`, line: 0 };
  if (url.startsWith("node:")) return { file: url, line: frame.lineNumber + 1 };
  const map = url.includes("/dist/") ? mapOf(url) : null;
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
  const source =
    entry && "originalSource" in entry && entry.originalSource
      ? entry.originalSource
      : url.startsWith("file:")
        ? fileURLToPath(url)
        : url;
  const line = entry && "originalLine" in entry ? entry.originalLine + 1 : frame.lineNumber + 1;
  const absolute = source.startsWith("file:")
    ? fileURLToPath(source)
    : url.startsWith("file:")
      ? resolve(dirname(fileURLToPath(url)), source)
      : source;
  const file = relative(root, absolute);
  return { file, line };
}

/** node_modules/<pkg> (scoped names kept whole), our own file, or the category. */
function packageOf(file: string): string {
  const at = file.lastIndexOf("node_modules/");
  if (at < 0) return file;
  const parts = file.slice(at + "node_modules/".length).split("/");
  return (parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]) ?? file;
}

function summarize(name: string, profile: Profile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = new Map<number, string>();
  const pkg = new Map<number, string>();
  for (const n of profile.nodes) {
    const { file, line } = locate(n.callFrame);
    label.set(n.id, `${n.callFrame.functionName || "(anonymous)"} ${file}:${line}`);
    pkg.set(n.id, packageOf(file));
  }
  // Self time per node within the window.
  const windowStart = profile.endTime - lastSeconds * 1e6;
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < windowStart) return;
    const dt = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    total += dt;
  });
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const perPackage = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const key = label.get(id) as string;
    self.set(key, (self.get(key) ?? 0) + us);
    const p = pkg.get(id) as string;
    perPackage.set(p, (perPackage.get(p) ?? 0) + us);
    // Each function on the stack once, however often it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = label.get(at) as string;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  if (callersOf) {
    const paths = new Map<string, number>();
    for (const [id, us] of selfUs) {
      if (!callersOf.test(label.get(id) as string)) continue;
      const chain: string[] = [];
      for (let at = parent.get(id); at !== undefined && chain.length < depth; at = parent.get(at)) {
        chain.push(
          fullFrames ? (label.get(at) as string) : ((label.get(at) as string).split(" ")[0] as string),
        );
      }
      const key = `${label.get(id)} ← ${chain.join(" ← ")}`;
      paths.set(key, (paths.get(key) ?? 0) + us);
    }
    return [...paths.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${name}: ${(us / 1000).toFixed(0)} ms  ${k}`)
      .join("\n");
  }
  const idle =
    self.get(
      label.get([...byId.values()].find((n) => n.callFrame.functionName === "(idle)")?.id ?? -1) ?? "",
    ) ?? 0;
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const busy = total - idle;
  const pctBusy = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const table = (title: string, m: Map<string, number>, skip: (k: string) => boolean = () => false) =>
    [
      `  ${title} (share of busy time)`,
      ...[...m.entries()]
        .filter(([k]) => !skip(k))
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([k, us]) => `    ${pctBusy(us)}  ${k}`),
    ].join("\n");
  const notWork = (k: string) => /^\((idle|root)\)/.test(k);
  return [
    `${name}: ${(total / 1e6).toFixed(1)} s sampled, busy ${pct(busy).trim()} (idle ${pct(idle).trim()})`,
    table("self time", self, (k) => k.startsWith("(idle)")),
    table("inclusive time", inclusive, notWork),
    table("self time per package / file", perPackage, (k) => k === "((idle))"),
  ].join("\n");
}

/** The process a profile came from: the bundle its main module ran. */
function processName(profile: Profile): string {
  const urls = new Set(profile.nodes.map((n) => n.callFrame.url));
  if ([...urls].some((u) => u.includes("/dist/edge/src/main.js"))) return "edge";
  if ([...urls].some((u) => u.includes("/dist/services/inventory/src/main.js"))) return "inventory";
  return "bench stack (catalog, search; tsx)";
}

for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
  process.stdout.write(`${summarize(`${processName(profile)} [${file}]`, profile)}\n\n`);
}
