// A minimal HTTP/1.1 keep-alive client for the load driver: one socket per closed-loop client,
// request bytes built once per URL, responses framed by Content-Length. node:http's client costs
// ≈ 0.1–0.2 ms of CPU per request in parsing, header objects and agent bookkeeping; on two shared
// cores that alone capped the micro-cached phase, so the driver now does almost nothing per request.
import net from "node:net";

export interface RawClient {
  /** Sends request `index` (round-robin over the paths); resolves with the status code. */
  get(index: number): Promise<number>;
  close(): void;
}

const headerEnd = Buffer.from("\r\n\r\n");

/** One connection to `baseUrl` (http://host:port) that sends one request at a time. */
export async function rawClient(baseUrl: string, paths: string[]): Promise<RawClient> {
  const url = new URL(baseUrl);
  const requests = paths.map((p) =>
    Buffer.from(`GET ${p} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: keep-alive\r\n\r\n`, "latin1"),
  );
  const socket = net.connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let pending: { resolve: (status: number) => void; reject: (err: Error) => void } | null = null;
  let buffer: Buffer = Buffer.alloc(0);
  const fail = (err: Error) => {
    const p = pending;
    pending = null;
    p?.reject(err);
  };
  socket.on("error", fail);
  socket.on("close", () => fail(new Error("connection closed")));
  socket.on("data", (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    const end = buffer.indexOf(headerEnd);
    if (end < 0) return;
    const head = buffer.toString("latin1", 0, end);
    const status = Number(head.slice(9, 12));
    const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!match) return fail(new Error("response without content-length"));
    const total = end + 4 + Number(match[1]);
    if (buffer.length < total) return;
    buffer = buffer.length === total ? Buffer.alloc(0) : buffer.subarray(total);
    const p = pending;
    pending = null;
    p?.resolve(status);
  });
  return {
    get(index) {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        socket.write(requests[index % requests.length] as Buffer);
      });
    },
    close() {
      socket.destroy();
    },
  };
}
