// The whole system with several edges behind a real HAProxy, as `EDGE_REPLICAS=N npm start` runs
// it: the services and N edges in this process (each edge with its own caches, seat-channel
// subscriber and Redis connection, as separate processes would have), HAProxy as a child process
// on a free port in front of them. Tests talk to `url` (HAProxy); `edges[i]` is each replica.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "#platform";
import { edgeStates, type Haproxy, startHaproxy, waitForPort } from "../../scripts/local/haproxy.ts";
import { build as buildEdge } from "../src/main.ts";
import { startTestStack, type TestStack } from "./stack.ts";

export interface Replica {
  edge: Awaited<ReturnType<typeof buildEdge>>;
  url: string;
  /** Requests this replica answered (counted by a hook), to see where HAProxy sent them. */
  served: number;
  /** Stops this replica, as a crashed edge would be gone. */
  stop(): Promise<void>;
}

export interface ReplicatedStack {
  /** HAProxy's address: what clients use. */
  url: string;
  stack: TestStack;
  edges: Replica[];
  haproxy: Haproxy;
  /** Each replica's state in HAProxy (`edge1` → `UP`). */
  states(): Promise<Record<string, string>>;
  /** Resolves once HAProxy sees every replica as `state` (checks every 200 ms; a busy machine can take seconds). */
  waitFor(state: "UP" | "DOWN", replica?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReplicatedStack(
  label: string,
  replicas = 2,
  env: Record<string, string> = {},
  options: { checkIntervalMs?: number } = {},
): Promise<ReplicatedStack> {
  const stack = await startTestStack(label, env);
  const edges: Replica[] = [];
  const dir = mkdtempSync(join(tmpdir(), "haproxy-"));
  let haproxy: Haproxy | undefined;
  try {
    for (let i = 0; i < replicas; i++) {
      const edge = await buildEdge(stack.edge.deps.config);
      const replica: Replica = {
        edge,
        url: "",
        served: 0,
        stop: async () => {
          await edge.close();
        },
      };
      edge.app.addHook("onRequest", async () => {
        replica.served++;
      });
      replica.url = await edge.app.listen({ port: 0, host: "127.0.0.1" });
      edges.push(replica);
    }
    const port = await freePort(0);
    const statsSocket = join(dir, "stats.sock");
    const proxy = startHaproxy(
      {
        host: "127.0.0.1",
        port,
        edgePorts: edges.map((e) => Number(new URL(e.url).port)),
        checkIntervalMs: options.checkIntervalMs ?? 200,
        statsSocket,
      },
      dir,
    );
    haproxy = proxy;
    await waitForPort(proxy, port);
    const states = () => edgeStates(statsSocket);
    const waitFor = async (state: "UP" | "DOWN", replica?: number) => {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const now = await states();
        const names = replica === undefined ? edges.map((_, i) => `edge${i + 1}`) : [`edge${replica + 1}`];
        if (names.every((n) => now[n]?.startsWith(state))) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`HAProxy did not see the edges ${state}: ${JSON.stringify(await states())}`);
    };
    await waitFor("UP");
    for (const e of edges) e.served = 0;
    return {
      url: `http://127.0.0.1:${port}`,
      stack,
      edges,
      haproxy: proxy,
      states,
      waitFor,
      async close() {
        await proxy.stop();
        await Promise.all(edges.map((e) => e.stop().catch(() => undefined)));
        await stack.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await haproxy?.stop();
    await Promise.all(edges.map((e) => e.stop().catch(() => undefined)));
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
