// The view path's processes for the benchmark: catalog, inventory and edge, each its own child
// process on a free port, configured only through environment variables as in production.
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "#gen/grpc/health/v1/health_pb.js";
import { freePort } from "#platform";
import { type Child, startChild, waitUntil } from "../common/child.ts";

export interface ViewProcesses {
  catalogUrl: string;
  inventoryUrl: string;
  edgeUrl: string;
  children: Child[];
  stop(which?: string[]): Promise<void>;
}

async function serving(url: string): Promise<boolean> {
  const health = createClient(Health, createGrpcTransport({ baseUrl: url, defaultTimeoutMs: 500 }));
  const res = await health.check({ service: "" });
  return res.status === HealthCheckResponse_ServingStatus.SERVING;
}

export async function startService(
  name: "catalog" | "inventory",
  env: Record<string, string>,
  logDir: string,
): Promise<{ url: string; child: Child }> {
  const port = await freePort();
  const child = startChild(
    name,
    `services/${name}/src/main.ts`,
    { ...env, PORT: String(port), HOST: "127.0.0.1" },
    logDir,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(name, () => serving(url));
  return { url, child };
}

export async function startEdge(
  env: Record<string, string>,
  logDir: string,
): Promise<{ url: string; child: Child }> {
  const port = await freePort();
  const child = startChild(
    "edge",
    "edge/src/main.ts",
    {
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      AUTH_MODE: "jwt",
      JWT_SECRET: "benchmark-secret-benchmark-secret-0123456789",
    },
    logDir,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntil("edge", async () => (await fetch(`${url}/events?pageSize=1`)).status === 200);
  return { url, child };
}
