// Rate limits on the write paths, counted in Redis so every edge replica shares them: per signed-in
// user (per e-mail on login) and per client IP, on login, holds, bookings and queue joins. Reads
// are served by caches and never limited. Over a limit: 429 {"code":"rate_limited"} with
// Retry-After. Counting is a fixed window per key (rate-windows.ts); see docs/security.md for why
// a fixed window is enough here.
import { createContextKey } from "@connectrpc/connect";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { EdgeConfig } from "../config.ts";
import type { EdgeDeps } from "../deps.ts";
import { RateWindows } from "./rate-windows.ts";

const limitedActions = ["login", "hold", "book", "queueJoin"] as const;
export type LimitedAction = (typeof limitedActions)[number];

/** What each action is called in a 429's message. */
const actionNames: Record<LimitedAction, string> = {
  login: "sign-ins",
  hold: "holds",
  book: "booking attempts",
  queueJoin: "queue joins",
};

/**
 * The routes each action covers: REST paths and the public Connect API's procedures. A new write
 * route joins a limit with one line here (or with `limitRequest` inside its handler).
 */
export const limitedRoutes: Record<string, LimitedAction> = {
  "POST /auth/login": "login",
  "POST /events/:eventId/holds": "hold",
  "POST /bookings/:eventId": "book",
  "POST /events/:eventId/queue": "queueJoin",
  "POST /ticketing.api.v1.TicketingService/HoldTickets": "hold",
  "POST /ticketing.api.v1.TicketingService/BookTickets": "book",
  "POST /ticketing.api.v1.TicketingService/JoinQueue": "queueJoin",
};

interface RateLimitSettings {
  windowMs: number;
  /** Per action: requests per window per user (0 = no per-user limit). */
  perUser: Record<LimitedAction, number>;
  /** Per action: requests per window per client IP (0 = no per-IP limit). */
  perIp: Record<LimitedAction, number>;
}

export function rateLimitSettings(config: EdgeConfig): RateLimitSettings | undefined {
  if (!config.RATE_LIMITS) return undefined;
  return {
    windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
    perUser: {
      login: config.RATE_LIMIT_LOGIN_PER_USER,
      hold: config.RATE_LIMIT_HOLD_PER_USER,
      book: config.RATE_LIMIT_BOOK_PER_USER,
      queueJoin: config.RATE_LIMIT_QUEUE_JOIN_PER_USER,
    },
    perIp: {
      login: config.RATE_LIMIT_LOGIN_PER_IP,
      hold: config.RATE_LIMIT_HOLD_PER_IP,
      book: config.RATE_LIMIT_BOOK_PER_IP,
      queueJoin: config.RATE_LIMIT_QUEUE_JOIN_PER_IP,
    },
  };
}

declare module "fastify" {
  interface FastifyRequest {
    /** The e-mail a login counts against when it is not in a JSON body (a Connect Login). */
    loginEmail?: string;
  }
}

export interface Refusal {
  retryAfterSeconds: number;
  message: string;
}

/**
 * A check of one request against one action's limits: undefined when it may go on. `email`: the
 * address a login names, for a handler that decoded it itself.
 */
export type LimitRequest = (
  request: FastifyRequest,
  action: LimitedAction,
  email?: string,
) => Promise<Refusal | undefined>;

/**
 * The check bound to the Connect call's own request (set by app.ts), for RPCs whose limit needs
 * the decoded message: Login's e-mail. Without rate limits it lets everything through.
 */
export const rateLimitKey = createContextKey<
  (action: LimitedAction, email?: string) => Promise<Refusal | undefined>
>(async () => undefined);

/** Who a request counts against as a "user": the signed-in caller, or the e-mail a login names. */
function userKey(request: FastifyRequest, action: LimitedAction): string | undefined {
  if (request.caller) return `user:${request.caller.userId}`;
  if (action !== "login") return undefined;
  const email = request.loginEmail ?? (request.body as { email?: unknown } | null)?.email;
  return typeof email === "string" ? `email:${email.trim().toLowerCase()}` : undefined;
}

/**
 * Registers a preHandler enforcing `limitedRoutes`; returns the check itself for handlers that
 * limit something else. Registered before the routes it covers.
 */
export async function registerRateLimits(app: FastifyInstance, deps: EdgeDeps): Promise<LimitRequest> {
  const settings = rateLimitSettings(deps.config);
  if (!settings) return async () => undefined;
  // The edge's own Redis client: its key prefix isolates tests. A Redis outage lets requests
  // through: holds and bookings fail closed on their own without Redis, and logins stay possible.
  const windows = new RateWindows(deps.redis, settings.windowMs);
  const count = (key: string) => windows.count(`rate-limit:${key}`).catch(() => undefined);

  const limit: LimitRequest = async (request, action, email) => {
    if (email !== undefined) request.loginEmail = email;
    const user = userKey(request, action);
    const checks = [
      { scope: "ip", max: settings.perIp[action], key: `${action}:ip:${request.ip}` },
      { scope: "user", max: user ? settings.perUser[action] : 0, key: `${action}:${user}` },
    ].filter((check) => check.max > 0);
    // Both counts in one Redis call (RateWindows gathers them); the address's refusal comes first.
    const counts = await Promise.all(checks.map((check) => count(check.key)));
    for (const [i, { scope, max }] of checks.entries()) {
      const counted = counts[i];
      if (!counted || counted.count <= max) continue;
      const who = scope === "ip" ? "this address" : action === "login" ? "this e-mail" : "this account";
      const retryAfterSeconds = Math.max(1, Math.ceil(counted.ttlMs / 1000));
      return {
        retryAfterSeconds,
        message: `too many ${actionNames[action]} from ${who}: at most ${max} per ${settings.windowMs / 1000} s; try again in ${retryAfterSeconds} s`,
      };
    }
    return undefined;
  };

  app.addHook("preHandler", async (request, reply) => {
    const action = limitedRoutes[`${request.method} ${request.routeOptions.url}`];
    if (!action) return;
    const refused = await limit(request, action);
    if (refused) return tooMany(request, reply, refused);
  });
  return limit;
}

/**
 * The 429: `{"code":"rate_limited"}` on REST; on the Connect API the same status with the Connect
 * error code a Connect client understands (`resource_exhausted`).
 */
function tooMany(
  request: FastifyRequest,
  reply: FastifyReply,
  refused: { retryAfterSeconds: number; message: string },
): FastifyReply {
  const connect = request.url.startsWith("/ticketing.");
  return reply
    .code(429)
    .header("retry-after", String(refused.retryAfterSeconds))
    .header("cache-control", "no-store")
    .send({ code: connect ? "resource_exhausted" : "rate_limited", message: refused.message });
}
