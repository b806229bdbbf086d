// A unary call with a body no client library would send (garbage protobuf, broken JSON), in any of
// the three protocols a server answers, and the error it answered, read off the wire.
import http2 from "node:http2";
import { Code } from "@connectrpc/connect";

export type RawProtocol = "connect+proto" | "connect+json" | "grpc" | "grpc-web";

const contentTypes: Record<RawProtocol, string> = {
  "connect+proto": "application/proto",
  "connect+json": "application/json",
  grpc: "application/grpc+proto",
  "grpc-web": "application/grpc-web+proto",
};

/** The answer's Connect code (Ok when none) and message. */
export interface RawAnswer {
  code: Code | undefined;
  message: string;
}

/** Posts `body` (a whole message; enveloped here for gRPC and gRPC-Web) to `path` over HTTP/2. */
export async function rawRpc(baseUrl: string, path: string, protocol: RawProtocol, body: Uint8Array) {
  const enveloped = protocol === "grpc" || protocol === "grpc-web";
  const payload = enveloped ? envelope(0, body) : body;
  const res = await http2Post(
    baseUrl,
    path,
    { "content-type": contentTypes[protocol], te: "trailers" },
    payload,
  );
  return answerOf(protocol, res);
}

/** The same for an HTTP/1.1 server (the edge): Connect and gRPC-Web only, through fetch. */
export async function rawRpcHttp1(
  baseUrl: string,
  path: string,
  protocol: Exclude<RawProtocol, "grpc">,
  body: Uint8Array,
  headers: Record<string, string> = {},
) {
  const payload = protocol === "grpc-web" ? envelope(0, body) : body;
  const res = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": contentTypes[protocol], ...headers },
    body: Buffer.from(payload),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return answerOf(protocol, {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    trailers: {},
    bytes,
  });
}

interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  trailers: Record<string, unknown>;
  bytes: Uint8Array;
}

function answerOf(protocol: RawProtocol, res: RawResponse): RawAnswer {
  if (protocol === "connect+proto" || protocol === "connect+json") {
    if (res.status === 200) return { code: undefined, message: "" };
    const json = JSON.parse(new TextDecoder().decode(res.bytes)) as { code: string; message?: string };
    return { code: codeOf(json.code), message: json.message ?? "" };
  }
  const trailers = protocol === "grpc" ? { ...res.headers, ...res.trailers } : webTrailers(res.bytes);
  const status = Number(trailers["grpc-status"] ?? Number.NaN);
  const message = decodeURIComponent(String(trailers["grpc-message"] ?? ""));
  return { code: status === 0 || Number.isNaN(status) ? undefined : (status as Code), message };
}

const codeOf = (name: string): Code =>
  Code[name.replace(/(^|_)(\w)/g, (_, _s, c: string) => c.toUpperCase()) as keyof typeof Code];

function envelope(flags: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + data.byteLength);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, data.byteLength);
  out.set(data, 5);
  return out;
}

/** The trailers frame (flag 0x80) of a gRPC-Web body, as header lines. */
function webTrailers(bytes: Uint8Array): Record<string, string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 5 <= bytes.byteLength; ) {
    const length = view.getUint32(at + 1);
    if ((bytes[at] ?? 0) & 0x80) {
      const text = new TextDecoder().decode(bytes.subarray(at + 5, at + 5 + length));
      return Object.fromEntries(
        text
          .split("\r\n")
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf(":")).trim(), line.slice(line.indexOf(":") + 1).trim()]),
      );
    }
    at += 5 + length;
  }
  return {};
}

function http2Post(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": path, ...headers });
    const res: RawResponse = { status: 0, headers: {}, trailers: {}, bytes: new Uint8Array() };
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      res.status = Number(h[":status"]);
      res.headers = h;
    });
    stream.on("trailers", (t) => {
      res.trailers = t;
    });
    stream.on("data", (d: Buffer) => chunks.push(d));
    stream.on("error", reject);
    stream.on("end", () => {
      res.bytes = new Uint8Array(Buffer.concat(chunks));
      session.close();
      resolve(res);
    });
    stream.end(body);
  });
}
