// CORS for the browser apps on other origins (CORS_ORIGINS): preflights are answered before
// authentication, and the headers the Connect protocol and our REST API use are allowed and
// exposed. A request from an origin not listed gets no Access-Control-Allow-Origin, so browsers
// refuse it; requests without an Origin (curl, services) are not affected.

import { cors as connectCors } from "@connectrpc/connect";
import fastifyCors from "@fastify/cors";
import type { FastifyInstance } from "fastify";

/** Request headers of our own API beyond Connect's. */
const apiRequestHeaders = ["Authorization", "Idempotency-Key", "Admission-Token"];
/** Response headers a browser app needs to read beyond the CORS-safelisted ones. */
const apiResponseHeaders = ["ETag", "Location", "Retry-After"];

export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  await app.register(fastifyCors, {
    origin: [...origins],
    methods: [...new Set([...connectCors.allowedMethods, "DELETE"])],
    allowedHeaders: [...connectCors.allowedHeaders, ...apiRequestHeaders],
    exposedHeaders: [...connectCors.exposedHeaders, ...apiResponseHeaders],
    // Browsers may reuse a preflight answer for this long (Chromium caps it at 2 hours).
    maxAge: 7200,
  });
}
