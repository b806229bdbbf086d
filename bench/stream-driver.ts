// The seat-stream benchmark's clients, in a process of their own (the open-file limit is per
// process, and the measured server must not share an event loop with them): opens N SSE streams,
// then, per round, notes when each stream received its next `changes` frame (wall clock, ms).
import http from "node:http";

type Command =
  | { type: "open"; url: string; connections: number; concurrency: number }
  | { type: "arm"; timeoutMs: number }
  | { type: "close" };

const streams: { res?: http.IncomingMessage; req: http.ClientRequest; arrived: number }[] = [];
let round: { pending: number; timer: NodeJS.Timeout } | undefined;
const send = (m: unknown) => process.send?.(m);

function finishRound(): void {
  if (!round) return;
  clearTimeout(round.timer);
  round = undefined;
  send({ type: "round", arrivals: streams.map((s) => s.arrived) });
}

function openOne(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const entry: (typeof streams)[number] = { req: undefined as never, arrived: 0 };
    const req = http.get(url, { agent: false, headers: { accept: "text/event-stream" } }, (res) => {
      entry.res = res;
      res.setEncoding("utf8");
      let ready = false;
      res.on("data", (chunk: string) => {
        if (!ready && chunk.includes("event: snapshot")) {
          ready = true;
          resolve(res.statusCode === 200);
        }
        if (round && entry.arrived === 0 && chunk.includes("event: changes")) {
          entry.arrived = Date.now();
          if (--round.pending === 0) finishRound();
        }
      });
      res.on("error", () => resolve(false));
    });
    req.on("error", () => resolve(false));
    entry.req = req;
    streams.push(entry);
  });
}

process.on("message", async (m: Command) => {
  if (m.type === "open") {
    const started = Date.now();
    let failed = 0;
    for (let i = 0; i < m.connections; i += m.concurrency) {
      const batch = Array.from({ length: Math.min(m.concurrency, m.connections - i) }, () => openOne(m.url));
      failed += (await Promise.all(batch)).filter((ok) => !ok).length;
    }
    send({ type: "opened", connections: streams.length, failed, ms: Date.now() - started });
  } else if (m.type === "arm") {
    for (const s of streams) s.arrived = 0;
    round = { pending: streams.length, timer: setTimeout(finishRound, m.timeoutMs) };
    send({ type: "armed" });
  } else if (m.type === "close") {
    for (const s of streams) s.req.destroy();
    send({ type: "closed" });
    setTimeout(() => process.exit(0), 100);
  }
});
