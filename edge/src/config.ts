import { randomBytes } from "node:crypto";
import { admissionEnv, commonSpec, env, exitWithError, loadConfig, signingKeyParser } from "#platform";
import { trustProxyParser } from "./http/trust-proxy.ts";

export const edgeSpec = {
  ...commonSpec,
  PORT: env.int(8080, 0, 65535),
  /** Listening address; unset: 127.0.0.1 in AUTH_MODE=local, 0.0.0.0 otherwise. */
  HOST: env.optionalString(),
  /**
   * Connections the kernel queues for accept(). At an onsale's opening second thousands arrive at
   * once; with Node's default (511) the overflow's handshakes are dropped and retried a second or
   * three later. The kernel caps it at net.core.somaxconn.
   */
  LISTEN_BACKLOG: env.int(4096, 1, 65_535),
  /**
   * On SIGTERM, how long requests in flight get to finish before their connections are closed
   * (new connections are refused at once). The Kubernetes grace period covers preStop + this.
   */
  EDGE_DRAIN_MS: env.int(10_000, 0, 120_000),
  /** Prometheus metrics (GET /metrics) on this port, on HOST; 0 serves none (the default locally). */
  METRICS_PORT: env.int(0, 0, 65535),
  CATALOG_SERVICE_ADDR: env.url(["http", "https"], "http://127.0.0.1:50051"),
  SEARCH_SERVICE_ADDR: env.url(["http", "https"], "http://127.0.0.1:50052"),
  INVENTORY_SERVICE_ADDR: env.url(["http", "https"], "http://127.0.0.1:50053"),
  /**
   * The edge's private key (PKCS#8 PEM, Ed25519 or P-256): it signs the short-lived identity token
   * each service call carries. Only the edge has it; the services get the public half.
   */
  IDENTITY_SIGNING_KEY: signingKeyParser,
  /** `local` enables POST /auth/login for demo users; `jwt` only accepts tokens signed elsewhere. */
  AUTH_MODE: env.oneOf(["local", "jwt"], "jwt"),
  /** HS256 secret for bearer tokens; required outside local mode. */
  JWT_SECRET: env.optionalString(),
  JWT_ISSUER: env.string("ticketing"),
  TOKEN_TTL_SECONDS: env.int(3600, 60, 86_400 * 30),
  /** Whose X-Forwarded-For to believe for the client IP (rate limits): false, true, hops or proxy addresses. */
  TRUST_PROXY: trustProxyParser,
  /** Edge rate limits on login, holds, bookings and queue joins (see http/rate-limits.ts). */
  RATE_LIMITS: env.bool(true),
  RATE_LIMIT_WINDOW_SECONDS: env.int(60, 1, 86_400),
  RATE_LIMIT_LOGIN_PER_USER: env.int(10, 0, 1_000_000),
  RATE_LIMIT_LOGIN_PER_IP: env.int(60, 0, 1_000_000),
  RATE_LIMIT_HOLD_PER_USER: env.int(30, 0, 1_000_000),
  RATE_LIMIT_HOLD_PER_IP: env.int(600, 0, 1_000_000),
  RATE_LIMIT_BOOK_PER_USER: env.int(10, 0, 1_000_000),
  RATE_LIMIT_BOOK_PER_IP: env.int(300, 0, 1_000_000),
  RATE_LIMIT_QUEUE_JOIN_PER_USER: env.int(10, 0, 1_000_000),
  RATE_LIMIT_QUEUE_JOIN_PER_IP: env.int(600, 0, 1_000_000),
  /** Venues above this many seats get tickets per section instead of inline. */
  LARGE_VENUE_SEATS: env.int(5000, 0, 1_000_000),
  /** In-process micro-cache window for hot reads; 0 stores nothing (coalescing is separate). */
  EDGE_MICROCACHE_MS: env.int(1000, 0, 60_000),
  /**
   * View reads: concurrent identical backend loads share one call in flight (singleflight), also
   * when EDGE_MICROCACHE_MS=0; nothing is kept once it settles. false: every request its own call.
   */
  EDGE_COALESCE: env.bool(true),
  /** Keys each micro-cache keeps before dropping the oldest; bounds memory under id scans. */
  EDGE_MICROCACHE_MAX_ENTRIES: env.int(10_000, 1, 10_000_000),
  /** Oldest availability an event page may show. Applies on its own when the micro-cache is off. */
  EDGE_AVAILABILITY_CACHE_MS: env.int(1000, 0, 10_000),
  /**
   * How long the edge refuses seats inventory just answered as taken (sold or held), without asking
   * it again; 0 turns it off. A shortcut only: a stale entry can refuse falsely, never sell twice.
   */
  EDGE_SEAT_REFUSAL_MS: env.int(500, 0, 10_000),
  /** The built storefront (web/dist) served at `/`; relative to the working directory. */
  WEB_DIR: env.string("web/dist"),
  /** Browser origins allowed to call the API (CORS), comma-separated; default the storefront's dev server. */
  CORS_ORIGINS: env.urlList(["http", "https"], "http://localhost:5173"),
  /**
   * Largest Connect request body the edge reads; a bigger one is refused (resource_exhausted) as
   * soon as its declared or read length passes it, never buffered whole.
   */
  EDGE_CONNECT_MAX_BYTES: env.int(1024 * 1024, 1024, 64 * 1024 * 1024),
  QUEUE_SERVICE_ADDR: env.url(["http", "https"], "http://127.0.0.1:50054"),
  /** Public keys (JWKS) that check admission tokens; unset leaves the check to inventory alone. */
  ADMISSION_PUBLIC_KEYS: admissionEnv.optionalPublicKeys(),
  /**
   * How often each edge process asks the queue for an event's shared counters (one call per
   * event, however many waiters): bounds how stale a position or "sold out" is at the edge.
   */
  EDGE_QUEUE_POLL_MS: env.int(500, 50, 10_000),
  /**
   * Join and status calls one edge process has in flight to the queue at once; more wait at the
   * edge. Bounds the opening second's burst (every pre-queue waiter asks for their number).
   */
  EDGE_QUEUE_MAX_IN_FLIGHT: env.int(64, 1, 10_000),
  // Live seat maps (GET /events/{id}/availability/stream, WatchAvailability).
  /** Seat changes are batched over at most this window before being sent. */
  EDGE_STREAM_COALESCE_MS: env.int(250, 0, 250),
  /** An idle stream gets a heartbeat this often, so proxies keep it open. */
  EDGE_STREAM_HEARTBEAT_MS: env.int(15_000, 100, 300_000),
  /** Batches each event keeps for streams that reconnect with Last-Event-ID (240 ≈ a minute). */
  EDGE_STREAM_RESUME_BATCHES: env.int(240, 0, 100_000),
  /** An SSE client with more unsent bytes than this is cut off (it reconnects and resumes). */
  EDGE_STREAM_MAX_BUFFERED_BYTES: env.int(1_048_576, 1024, 1_073_741_824),
};

export type EdgeConfig = ReturnType<typeof loadEdgeConfig>;

export function loadEdgeConfig(source: NodeJS.ProcessEnv = process.env) {
  const cfg = loadConfig(edgeSpec, source);
  if (cfg.AUTH_MODE === "jwt" && (cfg.JWT_SECRET ?? "").length < 32) {
    exitWithError("configuration error: JWT_SECRET must be set to at least 32 characters when AUTH_MODE=jwt");
  }
  const local = cfg.AUTH_MODE === "local";
  return {
    ...cfg,
    // Local mode without a secret (npm start passes one kept per data directory): a random one,
    // so tokens are valid for this process only and no well-known secret signs anything.
    JWT_SECRET: cfg.JWT_SECRET ?? randomBytes(32).toString("hex"),
    HOST: cfg.HOST ?? (local ? "127.0.0.1" : "0.0.0.0"),
  };
}
