// `npm start` as a user runs it, with real processes: its children are restarted when they crash,
// the internal services listen on loopback only, and SIGTERM stops every process it started,
// embedded PostgreSQL included.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { SignJWT } from "jose";
import { freePort } from "#platform";
import { everyServiceServing } from "../local/serving.ts";

const root = join(import.meta.dirname, "../..");

/** The npm start process and everything it printed so far. */
interface Started {
  npm: ChildProcess;
  output: () => string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

function npmStart(env: NodeJS.ProcessEnv): Started {
  const npm = spawn("npm", ["start"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  npm.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  npm.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return {
    npm,
    output: () => output,
    async waitFor(pattern, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = pattern.exec(output);
        if (match) return match;
        if (npm.exitCode !== null) break;
        await sleep(100);
      }
      throw new Error(`no ${pattern} in npm start's output:\n${output}`);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting until ${what}`);
}

const healthy = (port: number) => everyServiceServing(`http://127.0.0.1:${port}`);

/** Whether something accepts a TCP connection at host:port. */
const accepts = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });

describe("npm start: supervision and shutdown (real processes)", function () {
  this.timeout(180_000);
  let dataDir: string;
  let started: Started | undefined;
  let pids: number[] = [];

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "ticketing-start-"));
    // Embedded PostgreSQL runs as the `postgres` user when we are root: it must reach its data.
    chmodSync(dataDir, 0o755);
  });

  after(async () => {
    for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
    if (started?.npm.exitCode === null) started.npm.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("restarts a SIGKILLed service, binds services to loopback, and SIGTERM stops everything", async () => {
    const port = await freePort();
    const { DATABASE_URL: _ignored, HOST: _host, ...env } = process.env;
    started = npmStart({
      ...env,
      DATA_DIR: dataDir,
      PORT: String(port),
      SEED_EVENTS: "0",
      LOG_LEVEL: "warn",
    });
    await started.waitFor(/Ticketing is up/);

    const child = (name: string) => {
      const m = new RegExp(`${name}\\s+(\\S+):(\\d+)\\s+\\(pid (\\d+)`).exec(started?.output() ?? "");
      if (!m) throw new Error(`npm start printed no address for ${name}:\n${started?.output()}`);
      return { host: m[1], port: Number(m[2]), pid: Number(m[3]) };
    };
    const services = ["catalog", "search", "inventory"].map(child);
    const edge = child("edge");
    expect(started.output()).to.match(/database\s+postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/ticketing/);
    for (const s of services) expect(s.host).to.equal("127.0.0.1");
    expect(edge.host).to.equal("127.0.0.1");
    pids = [...services, edge].map((s) => s.pid);

    // Loopback only: another address of this machine gets no answer from a service.
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
    if (outside) {
      for (const s of services)
        expect(await accepts(outside, s.port), `${s.port} on ${outside}`).to.equal(false);
      expect(await accepts("127.0.0.1", services[0]?.port ?? 0)).to.equal(true);
    }

    // Secrets made for this data directory, readable by their owner only; the well-known secret of
    // earlier versions signs nothing the edge accepts.
    for (const file of ["token-secret", "identity-key.pem"]) {
      expect(statSync(join(dataDir, "secrets", file)).mode & 0o777, file).to.equal(0o600);
    }
    const oldSecret = new TextEncoder().encode("local-development-secret-not-for-production");
    const forged = await new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("someone")
      .setIssuer("ticketing")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(oldSecret);
    const mine = await fetch(`http://127.0.0.1:${port}/me/bookings`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(mine.status).to.equal(401);

    const postmaster = Number(readFileSync(join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    expect(alive(postmaster)).to.equal(true);
    pids.push(postmaster);

    const catalog = services[0];
    if (!catalog) throw new Error("no catalog");
    process.kill(catalog.pid, "SIGKILL");
    await started.waitFor(/catalog stopped unexpectedly \(SIGKILL\); restarting in \d+ ms/);
    const [, newPid] = await started.waitFor(/catalog restarted \(pid (\d+)/);
    pids.push(Number(newPid));
    expect(Number(newPid)).to.not.equal(catalog.pid);
    expect(alive(Number(newPid))).to.equal(true);
    await waitUntil(() => accepts("127.0.0.1", catalog.port), "the restarted catalog listens again");
    await waitUntil(() => healthy(port), "the stack is healthy again");

    started.npm.kill("SIGTERM");
    await waitUntil(() => started?.npm.exitCode !== null, "npm start exits", 30_000);
    await waitUntil(() => pids.every((pid) => !alive(pid)), "every child and PostgreSQL are gone", 15_000);
    expect(await accepts("127.0.0.1", port)).to.equal(false);
  });
});
