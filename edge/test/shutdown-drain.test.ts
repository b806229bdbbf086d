// SIGTERM to a real edge or service process with a request in flight: the request finishes, the
// listening socket closes at once (a new connection is refused), a request arriving on a
// connection already open is 503 `unavailable` (edge) or refused by GOAWAY (a service), nothing is
// logged as an error, and the process exits 0 — within EDGE_DRAIN_MS even when a request never ends.
import { type ChildProcess, spawn } from "node:child_process";
import http2 from "node:http2";
import net from "node:net";
import { join } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { SearchEventsRequestSchema, SearchService } from "#gen/ticketing/search/v1/search_pb.js";
import { freePort, serviceClient } from "#platform";
import { connectErrorOf } from "#platform/testing";
import { startTestEnv, type TestEnv } from "./stack.ts";

const root = join(import.meta.dirname, "../..");
const closed = "http://127.0.0.1:1";

interface Child {
  process: ChildProcess;
  port: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; atMs: number }>;
}

async function startProcess(entry: string, env: Record<string, string>, ready: string): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: "info", PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<{ code: number | null; atMs: number }>((resolve) =>
    child.once("exit", (code) => resolve({ code, atMs: Date.now() })),
  );
  await until(() => output.includes(ready) || child.exitCode !== null, 30_000);
  if (child.exitCode !== null) throw new Error(`${entry} exited: ${output}`);
  return { process: child, port, output: () => output, exited };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `promise`, or a failure naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Whether a new TCP connection to the port is refused. */
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

/** Lines logged at error level or above (pino: 50 error, 60 fatal). */
const errorLines = (output: string) => output.split("\n").filter((line) => /"level":(5|6)\d/.test(line));

/** An HTTP/1.1 connection written to by hand, collecting what comes back until it closes. */
function rawConnection(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  let received = "";
  socket.on("data", (d) => {
    received += d;
  });
  const ended = new Promise<string>((resolve) => socket.once("close", () => resolve(received)));
  socket.on("error", () => {});
  return { socket, ended };
}

describe("shutting down: in-flight requests finish, new ones are refused", function () {
  this.timeout(90_000);
  let env: TestEnv;
  const edgeEnv = () => ({
    ...env.base,
    AUTH_MODE: "local",
    CATALOG_SERVICE_ADDR: closed,
    SEARCH_SERVICE_ADDR: closed,
    INVENTORY_SERVICE_ADDR: closed,
    QUEUE_SERVICE_ADDR: closed,
  });
  before(async () => {
    env = await startTestEnv("shutdown_drain");
  });
  after(async () => {
    await env?.redis.clear();
    await env?.db.drop();
  });

  it("edge: the login in flight answers 200, a request on an open connection 503, a new connection is refused", async () => {
    const edge = await startProcess("edge/src/main.ts", edgeEnv(), "edge listening");
    try {
      const body = JSON.stringify({ email: "drain@example.com" });
      const busy = rawConnection(edge.port);
      // A preconnect that never sends a request must not hold the exit.
      const silent = rawConnection(edge.port);
      busy.socket.write(
        `POST /auth/login HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      );
      await new Promise((r) => setTimeout(r, 200));
      edge.process.kill("SIGTERM");
      await until(() => refused(edge.port));
      // The rest of the login body, and another request behind it on the same connection.
      busy.socket.write(`${body.slice(5)}GET /healthz HTTP/1.1\r\nHost: edge\r\n\r\n`);
      const [first = "", second = ""] = (await busy.ended).split(/(?=HTTP\/1\.1 )/);
      expect(first).to.match(/^HTTP\/1\.1 200 /);
      expect(JSON.parse(first.slice(first.indexOf("\r\n\r\n") + 4))).to.have.property("token");
      expect(second).to.match(/^HTTP\/1\.1 503 /);
      expect(second.toLowerCase()).to.include("connection: close");
      expect(JSON.parse(second.slice(second.indexOf("\r\n\r\n") + 4))).to.deep.equal({
        code: "unavailable",
        message: "this edge is shutting down; try again",
      });
      const { code } = await within(edge.exited, 2_000, "the edge (a preconnect open) did not exit");
      expect(code).to.equal(0);
      await silent.ended;
      expect(errorLines(edge.output())).to.deep.equal([]);
    } finally {
      edge.process.kill("SIGKILL");
    }
  });

  it("edge: a request still unfinished after EDGE_DRAIN_MS is cut, and the process exits 0", async () => {
    const edge = await startProcess(
      "edge/src/main.ts",
      { ...edgeEnv(), EDGE_DRAIN_MS: "1000" },
      "edge listening",
    );
    try {
      const stuck = rawConnection(edge.port);
      stuck.socket.write(
        "POST /auth/login HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
      );
      await new Promise((r) => setTimeout(r, 200));
      const signalledAt = Date.now();
      edge.process.kill("SIGTERM");
      const { code, atMs } = await within(edge.exited, 5_000, "the edge (a request stuck) did not exit");
      expect(code).to.equal(0);
      expect(atMs - signalledAt).to.be.at.least(900);
      await stuck.ended;
    } finally {
      edge.process.kill("SIGKILL");
    }
  });

  it("search service: the call in flight answers, new calls are Unavailable", async () => {
    const search = await startProcess("services/search/src/main.ts", env.base, '"msg":"listening"');
    const url = `http://127.0.0.1:${search.port}`;
    try {
      const session = http2.connect(url);
      const goaway = new Promise<void>((resolve) => session.once("goaway", () => resolve()));
      const message = toBinary(
        SearchEventsRequestSchema,
        create(SearchEventsRequestSchema, { keyword: "x" }),
      );
      const frame = Buffer.alloc(5 + message.byteLength);
      frame.writeUInt32BE(message.byteLength, 1);
      frame.set(message, 5);
      const stream = session.request({
        ":method": "POST",
        ":path": "/ticketing.search.v1.SearchService/SearchEvents",
        "content-type": "application/grpc+proto",
        te: "trailers",
      });
      let grpcStatus: string | undefined;
      stream.on("trailers", (t) => {
        grpcStatus = String(t["grpc-status"]);
      });
      stream.resume();
      const done = new Promise<void>((resolve) => stream.once("close", () => resolve()));
      stream.write(frame.subarray(0, 3));
      await new Promise((r) => setTimeout(r, 200));
      search.process.kill("SIGTERM");
      await goaway;
      await until(() => refused(search.port));
      const late = await connectErrorOf(serviceClient(SearchService, url).searchEvents({ keyword: "y" }));
      expect(late.code).to.equal(Code.Unavailable);
      stream.end(frame.subarray(3));
      await done;
      expect(grpcStatus).to.equal("0");
      session.close();
      expect((await within(search.exited, 5_000, "search did not exit")).code).to.equal(0);
      expect(errorLines(search.output())).to.deep.equal([]);
    } finally {
      search.process.kill("SIGKILL");
    }
  });
});
