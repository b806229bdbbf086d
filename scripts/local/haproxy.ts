// Several edges behind one port: HAProxy from Debian's package (`/usr/sbin/haproxy`), run in the
// foreground as a child of `npm start` or of a test, with a config written here. Least-connections
// balancing (a Server-Sent Events stream is one long connection, so "fewest open" spreads them),
// a health check on GET /healthz, and timeouts of an hour so streams are not cut by the proxy (the
// edge sends heartbeats well within that).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";

export const haproxyBinary = "/usr/sbin/haproxy";

export interface HaproxyOptions {
  /** Where the public side listens. */
  host: string;
  port: number;
  /** The edges, all on loopback. */
  edgePorts: readonly number[];
  /** Concurrent connections wanted; lowered to what the open-file limit allows. */
  maxconn?: number;
  /** How often each edge's /healthz is checked (ms). */
  checkIntervalMs?: number;
  /** A Unix socket for `show stat` (tests read the edges' UP/DOWN state from it). */
  statsSocket?: string;
}

/** Descriptors HAProxy keeps for itself (listeners, checks, logs) besides two per connection. */
const reservedFds = 200;

/** The open-file limit HAProxy will inherit from this process (`ulimit -n`). */
export function openFileLimit(): number {
  const out = execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim();
  return out === "unlimited" ? 1_048_576 : Number(out);
}

/**
 * HAProxy refuses to start when `maxconn` needs more descriptors than the limit allows (about two
 * per proxied connection: client side and server side), so the wanted figure is capped.
 */
export function maxconnFor(wanted: number, fileLimit = openFileLimit()): number {
  return Math.max(1, Math.min(wanted, Math.floor((fileLimit - reservedFds) / 2)));
}

export function haproxyConfig(options: HaproxyOptions): string {
  const maxconn = maxconnFor(options.maxconn ?? 100_000);
  const inter = options.checkIntervalMs ?? 1000;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const servers = options.edgePorts.map(
    (port, i) => `  server edge${i + 1} 127.0.0.1:${port} check inter ${inter} fall 3 rise 1`,
  );
  return [
    "global",
    `  maxconn ${maxconn}`,
    ...(options.statsSocket ? [`  stats socket ${options.statsSocket} mode 600 level user`] : []),
    "defaults",
    "  mode http",
    "  option forwardfor",
    "  timeout connect 5s",
    // /healthz asks every backend service; on a busy machine that takes longer than a short `inter`.
    `  timeout check ${Math.max(2000, inter)}ms`,
    "  timeout http-request 30s",
    "  timeout http-keep-alive 30s",
    // Server-Sent Events: a stream stays open as long as the page does.
    "  timeout client 1h",
    "  timeout server 1h",
    "  timeout tunnel 1h",
    "  retries 2",
    "  option redispatch",
    // A reused keep-alive connection to an edge that just died answers nothing: a GET is retried
    // on the other edge; anything else is not (a hold or booking must not be sent twice).
    "  retry-on conn-failure empty-response",
    "frontend public",
    `  bind ${host}:${options.port}`,
    `  maxconn ${maxconn}`,
    "  default_backend edges",
    "  http-request disable-l7-retry unless METH_GET",
    "backend edges",
    "  balance leastconn",
    "  option httpchk GET /healthz",
    "  http-check expect status 200",
    ...servers,
    "",
  ].join("\n");
}

export interface Haproxy {
  name: "haproxy";
  process: ChildProcess;
  /** The last lines it wrote to stderr. */
  tail: string[];
  /** SIGTERM (HAProxy stops at once), resolved when it exited. */
  stop(): Promise<void>;
}

/** Writes the config under `dir` and starts HAProxy in the foreground (`-db`). */
export function startHaproxy(options: HaproxyOptions, dir: string): Haproxy {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `haproxy-${options.port}.cfg`);
  writeFileSync(file, haproxyConfig(options));
  const child = spawn(haproxyBinary, ["-db", "-f", file], { stdio: ["ignore", "ignore", "pipe"] });
  const tail: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    tail.push(...chunk.toString().split("\n").filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  });
  return {
    name: "haproxy",
    process: child,
    tail,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface EdgePlan {
  /** One per edge process: its name, where it listens. */
  edges: { name: string; host: string; port: number }[];
  /** Set when HAProxy fronts them (more than one edge). */
  haproxy?: HaproxyOptions;
}

/**
 * One edge on the public address, or `replicas` edges on free loopback ports with HAProxy on the
 * public address in front of them.
 */
export async function planEdges(
  replicas: number,
  host: string,
  port: number,
  freePort: (preferred: number) => Promise<number>,
): Promise<EdgePlan> {
  if (replicas <= 1) return { edges: [{ name: "edge", host, port }] };
  if (!existsSync(haproxyBinary)) {
    throw new Error(
      `EDGE_REPLICAS=${replicas} needs HAProxy at ${haproxyBinary}: apt-get install -y haproxy`,
    );
  }
  const edges: EdgePlan["edges"] = [];
  for (let i = 1; i <= replicas; i++) {
    let edgePort = await freePort(port + i);
    while (edgePort === port || edges.some((e) => e.port === edgePort)) edgePort = await freePort(0);
    edges.push({ name: `edge${i}`, host: "127.0.0.1", port: edgePort });
  }
  return { edges, haproxy: { host, port, edgePorts: edges.map((e) => e.port) } };
}

/** Resolves once the port accepts connections; rejects after `timeoutMs` or if HAProxy exits. */
export async function waitForPort(haproxy: Haproxy, port: number, host = "127.0.0.1", timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (haproxy.process.exitCode !== null)
      throw new Error(`haproxy exited (${haproxy.process.exitCode}): ${haproxy.tail.join(" | ")}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`haproxy did not listen on ${host}:${port} within ${timeoutMs} ms`);
}

/** Each edge's state as HAProxy sees it (`UP`, `DOWN`, ...), read from the stats socket. */
export async function edgeStates(statsSocket: string): Promise<Record<string, string>> {
  const csv = await new Promise<string>((resolve, reject) => {
    let out = "";
    const socket = connect(statsSocket, () => socket.write("show stat\n"));
    socket.on("data", (chunk) => {
      out += chunk.toString();
    });
    socket.on("end", () => resolve(out));
    socket.on("error", reject);
  });
  const states: Record<string, string> = {};
  for (const line of csv.split("\n")) {
    const [proxy, server, ...rest] = line.split(",");
    // columns: pxname, svname, ..., status is the 18th (index 17)
    if (proxy === "edges" && server && server !== "BACKEND") states[server] = rest[15] ?? "";
  }
  return states;
}
