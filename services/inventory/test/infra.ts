// Real infrastructure that tests can break: extra redis-server processes and a TCP proxy in
// front of PostgreSQL that can be cut and restored.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { freePort } from "#platform";

export interface RedisServers {
  urls: string[];
  ports: number[];
  stop(port: number): Promise<void>;
  /** SIGSTOP / SIGCONT the server: a master that holds connections open but answers nothing. */
  pause(port: number): void;
  resume(port: number): void;
  stopAll(): Promise<void>;
}

/** Starts `count` throw-away redis-server masters on free ports (no persistence). */
export async function startRedisServers(count: number): Promise<RedisServers> {
  const dir = mkdtempSync(join(tmpdir(), "redlock-test-"));
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "yes",
        "--dir",
        dir,
        "--pidfile",
        join(dir, `${port}.pid`),
        "--logfile",
        join(dir, `${port}.log`),
      ],
      { stdio: "ignore" },
    );
    await new Promise((resolve) => child.once("exit", resolve));
    ports.push(port);
  }
  for (const port of ports) await waitForRedis(port);
  const running = new Set(ports);
  const pid = (port: number) => Number(readFileSync(join(dir, `${port}.pid`), "utf8").trim());
  const stop = async (port: number) => {
    if (!running.delete(port)) return;
    process.kill(pid(port), "SIGCONT"); // a paused server cannot shut down
    await promisify(execFile)("redis-cli", ["-p", String(port), "shutdown", "nosave"]).catch(() => undefined);
  };
  return {
    urls: ports.map((p) => `redis://127.0.0.1:${p}`),
    ports,
    stop,
    pause: (port) => process.kill(pid(port), "SIGSTOP"),
    resume: (port) => process.kill(pid(port), "SIGCONT"),
    async stopAll() {
      for (const port of [...running]) await stop(port);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForRedis(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await promisify(execFile)("redis-cli", ["-p", String(port), "ping"]).then(
      (r) => r.stdout.trim() === "PONG",
      () => false,
    );
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`redis-server on ${port} did not start`);
}

export interface TcpProxy {
  port: number;
  /** Refuses new connections and drops open ones, like a database host that went away. */
  down(): Promise<void>;
  up(): Promise<void>;
}

export async function tcpProxy(targetPort: number): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const up = async () => {
    if (server?.listening) return;
    server = net.createServer((client) => {
      const upstream = net.connect(targetPort, "127.0.0.1");
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server?.once("error", reject);
      server?.listen(port, "127.0.0.1", resolve);
    });
  };
  await up();
  return {
    port,
    up,
    async down() {
      if (!server?.listening) return;
      const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
