// Boots a service: HTTP/2 cleartext answering gRPC, gRPC-Web and Connect, with health,
// per-RPC logging, error mapping and protovalidate, and a graceful drain on SIGTERM.
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { decodeErrors } from "./decode-errors.ts";
import { HealthState } from "./health.ts";
import type { IdentityVerifier } from "./identity-token.ts";
import { errorMappingInterceptor, loggingInterceptor } from "./interceptors.ts";
import type { Logger } from "./logger.ts";
import { validationInterceptor } from "./validation.ts";

export interface ServeOptions {
  /** Fully-qualified service names reported by health, e.g. "ticketing.catalog.v1.CatalogService". */
  serviceNames: string[];
  port: number;
  host?: string;
  logger: Logger;
  routes: (router: ConnectRouter) => void;
  /** Verifies the edge-signed identity of each call (see identity-token.ts). */
  identity: IdentityVerifier;
  interceptors?: Interceptor[];
  /** How long in-flight calls get to finish on shutdown (each service's `<NAME>_DRAIN_MS`). */
  drainMs?: number;
  /**
   * Largest request message read (default 4 MiB): a bigger one is refused with ResourceExhausted
   * as soon as its declared or read length passes the cap, never buffered whole.
   */
  readMaxBytes?: number;
  /** Start as NOT_SERVING, for a service that must warm up first; it calls health.setAll(true). */
  startNotServing?: boolean;
}

export interface RunningServer {
  port: number;
  url: string;
  health: HealthState;
  /** Stops accepting calls, lets in-flight ones finish (up to drainMs), then closes. */
  close(): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { logger } = options;
  const health = new HealthState(options.serviceNames);
  const handler = connectNodeAdapter({
    routes: (router) => {
      health.register(router);
      options.routes(router);
    },
    readMaxBytes: options.readMaxBytes ?? 4 * 1024 * 1024,
    requestGate: decodeErrors.requestGate,
    interceptors: [
      decodeErrors.interceptor,
      loggingInterceptor(logger),
      errorMappingInterceptor(logger),
      // Authentication before validation: a caller without a valid identity learns nothing more.
      options.identity.interceptor(),
      validationInterceptor(),
      ...(options.interceptors ?? []),
    ],
  });
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (!options.startNotServing) health.setAll(true);
  logger.info({ port }, "listening");

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      health.setAll(false);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // GOAWAY lets open streams finish while refusing new ones.
      for (const session of sessions) session.close();
      const timer = setTimeout(() => {
        for (const session of sessions) session.destroy();
      }, options.drainMs ?? 10_000);
      await closed;
      clearTimeout(timer);
      logger.info("stopped");
    })();
    return closing;
  };
  return { port, url: `http://127.0.0.1:${port}`, health, close };
}

/** Runs cleanup once on SIGTERM or SIGINT, then exits. */
export function onShutdown(logger: Logger, cleanup: () => Promise<void>): void {
  let done = false;
  const handle = (signal: string) => {
    if (done) return;
    done = true;
    logger.info({ signal }, "shutting down");
    cleanup()
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      });
  };
  process.once("SIGTERM", () => handle("SIGTERM"));
  process.once("SIGINT", () => handle("SIGINT"));
}
