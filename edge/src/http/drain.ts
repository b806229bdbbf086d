// Shutting down: the listening socket closes at once (new connections are refused), requests in
// flight get `drainMs` to finish, and a request arriving on an open connection meanwhile is 503
// `unavailable` (http-errors.ts). Fastify closes idle keep-alive connections by itself; this closes
// the two kinds that would otherwise hold the exit: a connection that has sent nothing yet (a
// browser's or load balancer's preconnect, kept until Node's headersTimeout) at once, and
// whatever is still open when `drainMs` ends.
import type { Socket } from "node:net";
import type { FastifyInstance } from "fastify";

/** Call before `listen`: connections are counted from the first. */
export function drainOnClose(app: FastifyInstance, drainMs: number): void {
  const sockets = new Set<Socket>();
  app.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  app.addHook("preClose", async () => {
    for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
    const deadline = setTimeout(() => app.server.closeAllConnections(), drainMs);
    app.server.once("close", () => clearTimeout(deadline));
  });
}
