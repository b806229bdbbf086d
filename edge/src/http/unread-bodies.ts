import type { FastifyInstance } from "fastify";

/**
 * A request answered before its body was read (a Connect body refused as too large) must not keep
 * its connection: the reader stopped, so the socket stays paused mid-body while the client goes on
 * sending, and the connection never becomes reusable or idle (a server close would wait on it).
 * Such connections are closed once the answer is out. Only requests with a body are watched.
 */
export function closeUnreadBodies(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    const raw = request.raw;
    if (raw.headers["content-length"] === undefined && raw.headers["transfer-encoding"] === undefined) return;
    const socket = raw.socket;
    reply.raw.once("finish", () => {
      if (raw.complete) return;
      // FIN first, so the client reads the answer before the connection goes away.
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    });
  });
}
