// A small keep-alive HTTP/1.1 client for the booking benchmark: each call returns its status
// and latency, and never throws for an HTTP error status.
import http from "node:http";

export interface Answer {
  status: number;
  ms: number;
  body: string;
}

export class BenchClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(baseUrl: string, maxSockets: number) {
    this.url = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    // A string body is sent as is (pre-built by the caller: the load generator stays light).
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    const started = performance.now();
    return new Promise((resolve) => {
      const req = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...(payload
              ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
              : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              ms: performance.now() - started,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      // A transport error counts as a 5xx-class failure: status 0.
      req.on("error", (err) => resolve({ status: 0, ms: performance.now() - started, body: err.message }));
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Runs `clients` closed loops until `durationMs` passes; returns the answers. */
export async function closedLoop(
  clients: number,
  durationMs: number,
  work: (client: number, i: number) => Promise<Answer>,
): Promise<{ answers: Answer[]; seconds: number }> {
  const answers: Answer[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; performance.now() < deadline; i++) answers.push(await work(client, i));
    }),
  );
  return { answers, seconds: (performance.now() - started) / 1000 };
}
