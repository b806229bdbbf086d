// Opening a Server-Sent Events response. A stream takes the response over from Fastify
// (`reply.hijack()`) and writes to the socket itself, so nothing of Fastify's reply path runs
// after that: the headers its hooks already set on the reply (CORS from cors.ts, and whatever
// else an onRequest or preHandler hook adds) would be lost unless carried over here. Both
// streams — the waiting room's and the seat map's — open through this one function, so a header
// added to every answer reaches them too.
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { FastifyReply } from "fastify";

const streamHeaders: OutgoingHttpHeaders = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store",
  connection: "keep-alive",
  // nginx-style proxies: do not buffer the stream.
  "x-accel-buffering": "no",
};

/**
 * Takes the response over and sends the 200 with the reply's headers so far plus the stream's
 * own; `opening` (e.g. `retry: 2000\n\n`) goes out with the headers. Returns the raw response to
 * write events to.
 */
export function openSse(reply: FastifyReply, opening?: string): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { ...(reply.getHeaders() as OutgoingHttpHeaders), ...streamHeaders });
  if (opening) res.write(opening);
  return res;
}
