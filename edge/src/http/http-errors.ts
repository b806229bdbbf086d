// What Node and Fastify answer by themselves — unparsable HTTP, headers too large, a bad URL
// encoding, a body too large or of the wrong type, a known path asked with the wrong method —
// in the `{code, message}` shape of every other error, and without echoing the request.
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Logger, notJsonMessage } from "#platform";
import { badRequest, type ErrorBody, sendError } from "./errors.ts";

/** The `code` of an HTTP status Fastify or Node chose; ours (from Connect codes) are in errors.ts. */
const codeByStatus: Record<number, string> = {
  400: "invalid_argument",
  404: "not_found",
  405: "method_not_allowed",
  408: "request_timeout",
  413: "payload_too_large",
  415: "unsupported_media_type",
  431: "headers_too_large",
};

/** Fastify's own 4xx errors (body parsing, limits), with messages that say what to send instead. */
export function frameworkError(err: FastifyError, bodyLimit: number): { status: number; body: ErrorBody } {
  const status = err.statusCode ?? 400;
  const message =
    {
      FST_ERR_CTP_BODY_TOO_LARGE: `the body is larger than ${bodyLimit} bytes`,
      FST_ERR_CTP_INVALID_MEDIA_TYPE: "send the body as application/json",
      FST_ERR_CTP_INVALID_JSON_BODY: "the body is not valid JSON",
      FST_ERR_CTP_EMPTY_JSON_BODY: "the body is empty; send a JSON object",
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: "Content-Length does not match the body",
      FST_ERR_BAD_URL: "the URL is not valid (a bad percent-encoding?)",
    }[err.code] ?? (STATUS_CODES[status] ?? "bad request").toLowerCase();
  return { status, body: { code: codeByStatus[status] ?? "invalid_argument", message } };
}

/** For Fastify's `frameworkErrors`: a URL the router cannot decode (`/events/%zz`). */
export function onFrameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = frameworkError(err, 0);
  return reply.code(status).header("cache-control", "no-store").send(body);
}

/** For Fastify's `clientErrorHandler`: requests Node could not parse, answered on the socket. */
export function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    err.code === "HPE_HEADER_OVERFLOW" ? 431 : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const message =
    status === 431
      ? "the request's headers are too large"
      : status === 408
        ? "the request took too long to arrive"
        : "the request is not valid HTTP";
  const body = JSON.stringify({ code: codeByStatus[status], message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * 404 for paths no route knows, 405 (with `Allow`) for a known path asked with another method.
 * Routes are recorded as they are added; wildcard routes (the storefront's shell, CORS
 * preflights) do not make a path known.
 */
export function registerNotFound(app: FastifyInstance): void {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook("onRoute", (route) => {
    if (route.url.includes("*")) return;
    const methods = ([] as string[]).concat(route.method).filter((m) => m !== "HEAD" && m !== "OPTIONS");
    const pattern = new RegExp(
      `^${route.url.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:[^/]+/g, "[^/]+")}$`,
    );
    routes.push({ pattern, methods });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
    reply.header("cache-control", "no-store");
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return reply
        .code(405)
        .header("allow", allowed.join(", "))
        .send({
          code: "method_not_allowed",
          message: `${shown} answers ${allowed.join(", ")}, not ${request.method}`,
        });
    }
    return reply.code(404).send({ code: "not_found", message: `no route for ${request.method} ${shown}` });
  });
}

/**
 * The error handler, the 404/405 answers, REST bodies only as JSON (415 otherwise), and 503 for
 * requests arriving while this edge shuts down. Call before any route is added.
 */
export function registerErrorHandling(app: FastifyInstance, logger: Logger, bodyLimit: number): void {
  app.removeContentTypeParser("text/plain");
  registerJsonParser(app);
  app.setErrorHandler((err, request, reply) => {
    const status = (err as FastifyError).statusCode;
    if (typeof status === "number" && status < 500 && (err as FastifyError).code?.startsWith("FST_")) {
      const answer = frameworkError(err as FastifyError, bodyLimit);
      return reply.code(answer.status).header("cache-control", "no-store").send(answer.body);
    }
    const sent = sendError(reply, err);
    if (reply.statusCode >= 500) logger.error({ err, url: request.url }, "request failed");
    return sent;
  });
  registerNotFound(app);
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (_request, reply) => {
    if (!closing) return;
    return void reply
      .code(503)
      .header("connection", "close")
      .send({ code: "unavailable", message: "this edge is shutting down; try again" });
  });
}

/**
 * Fastify's JSON parser (its prototype-poisoning checks kept), with the parser's reason in the
 * message, worded as Connect words it (notJsonMessage): Fastify's own error drops the reason.
 */
function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    parse(request, String(body), (err, value) => {
      if ((err as FastifyError | null)?.code !== "FST_ERR_CTP_INVALID_JSON_BODY") return done(err, value);
      try {
        JSON.parse(String(body));
      } catch (syntax) {
        return done(badRequest(notJsonMessage(syntax as Error)), undefined);
      }
      return done(err, undefined);
    });
  });
}
