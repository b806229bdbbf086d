// The seat-stream benchmark's baseline: bare Fastify holding Server-Sent Events streams and writing
// one frame to all of them on POST /fire — the least any fan-out can cost. A child process (PORT
// from the environment), so it competes for the CPU like the edge it is compared with.
import type { ServerResponse } from "node:http";
import Fastify from "fastify";

const streams = new Set<ServerResponse>();
const app = Fastify({ logger: false });
app.get("/stream", (request, reply) => {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
  res.write('id: 0\nevent: snapshot\ndata: {"sections":[]}\n\n');
  streams.add(res);
  request.raw.once("close", () => streams.delete(res));
});
app.post<{ Body: { frame: string } }>("/fire", async (request) => {
  for (const res of streams) res.write(request.body.frame);
  return { sent: streams.size };
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1", backlog: 4096 });
process.once("SIGTERM", () => {
  for (const res of streams) res.destroy();
  app.close().then(() => process.exit(0));
});
