// The benchmarks' processes: catalog, inventory, queue and edge, each its own child process on a
// free port, configured only through environment variables as in production. `nodeArgs` go to
// node before the entry (e.g. --cpu-prof).
import { benchJwtSecret, type Child, serving, startOnFreePort } from "../common/child.ts";

export function startService(
  name: "catalog" | "inventory" | "queue",
  env: Record<string, string>,
  logDir: string,
  nodeArgs: string[] = [],
): Promise<{ url: string; child: Child }> {
  return startOnFreePort(name, `services/${name}/src/main.ts`, env, logDir, serving, nodeArgs);
}

export function startEdge(
  env: Record<string, string>,
  logDir: string,
  nodeArgs: string[] = [],
): Promise<{ url: string; child: Child }> {
  return startOnFreePort(
    "edge",
    "edge/src/main.ts",
    { ...env, AUTH_MODE: "jwt", JWT_SECRET: benchJwtSecret },
    logDir,
    async (url) => (await fetch(`${url}/events?pageSize=1`)).status === 200,
    nodeArgs,
  );
}
