// The storefront (web/, built by `npm run build` into WEB_DIR) served at `/` beside the API.
// Hashed assets are immutable for a year; index.html is revalidated on every load so a deploy
// shows at once. Page URLs the browser asks for as HTML (`/e/<id>`, `/search?q=`, `/my/bookings`)
// get index.html and the client routes them; API paths keep their own 404s and never get HTML.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { EdgeDeps } from "../deps.ts";

/** Paths that belong to the API: never answered with the app shell, whatever the Accept header. */
const apiPrefixes = [
  "/events",
  "/bookings",
  "/me/",
  "/auth/",
  "/healthz",
  "/livez",
  "/ticketing.",
  "/assets/",
];

const immutable = "public, max-age=31536000, immutable";
const revalidate = "no-cache";
/** The app loads only its own scripts and styles and talks only to this origin. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

function shellHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header("cache-control", revalidate)
    .header("content-security-policy", contentSecurityPolicy)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "same-origin");
}

/** A page navigation: a GET for HTML outside the API. */
export function wantsAppShell(request: FastifyRequest): boolean {
  const path = request.url.split("?")[0] ?? "/";
  return (
    (request.method === "GET" || request.method === "HEAD") &&
    (request.headers.accept ?? "").includes("text/html") &&
    !apiPrefixes.some((prefix) => path.startsWith(prefix))
  );
}

export async function registerWebRoutes(app: FastifyInstance, deps: EdgeDeps): Promise<void> {
  const root = resolve(deps.config.WEB_DIR);
  if (!existsSync(join(root, "index.html"))) {
    deps.logger.warn({ root }, "storefront not built (npm run build): GET / serves no pages");
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    // Routes for the files that exist at start-up only: anything else falls through to the shell
    // (for pages) or the JSON 404 (for everything else).
    wildcard: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, path) => {
      if (path.startsWith(join(root, "assets"))) reply.header("cache-control", immutable);
      else shellHeaders(reply);
    },
  });
  app.get("/*", (request, reply) => {
    if (!wantsAppShell(request)) return reply.callNotFound();
    return shellHeaders(reply)
      .type("text/html; charset=utf-8")
      .sendFile("index.html", root, { cacheControl: false });
  });
}
