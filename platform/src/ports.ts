import { createServer } from "node:net";

/** A TCP port on 127.0.0.1 nothing listens on right now: `preferred` when it is free, else any. */
export async function freePort(preferred = 0): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : port));
      });
    });
  return tryPort(preferred).catch(() => tryPort(0));
}
