// The storefront's production build (web/ → web/dist): Vite's hashed bundles, each text file
// also pre-compressed (.br, .gz) so the edge sends compressed bytes without compressing per
// request, and the figure the issue sets a budget for: the JavaScript the home page loads first.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "vite";

const root = join(import.meta.dirname, "..");
export const webDist = join(root, "web", "dist");
/** Budget for the home page's initial JavaScript, gzip bytes (issue 12). */
export const initialJsBudget = 150_000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function precompress(dir: string): void {
  for (const file of filesUnder(dir)) {
    if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
    const body = readFileSync(file);
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
}

export interface InitialJs {
  files: { path: string; gzipBytes: number }[];
  gzipBytes: number;
}

/** The scripts index.html loads or preloads: what the home page runs before any lazy route. */
export function initialJs(dir = webDist): InitialJs {
  const html = readFileSync(join(dir, "index.html"), "utf8");
  const refs = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g),
  ]
    .map((m) => m[1] as string)
    .filter((path, i, all) => all.indexOf(path) === i);
  const files = refs.map((path) => ({
    path,
    gzipBytes: gzipSync(readFileSync(join(dir, path)), { level: 9 }).length,
  }));
  return { files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}

export async function buildWeb(): Promise<InitialJs> {
  await build({ configFile: join(root, "web", "vite.config.ts"), logLevel: "warn" });
  precompress(webDist);
  return initialJs();
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
