// A response body serialized once, with its ETag, and the conditional-GET logic around it: the
// hot path copies bytes and compares a header, with no per-request JSON or protobuf work.
import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

export interface CachedBody {
  bytes: Buffer;
  etag: string;
  contentType: string;
}

export function jsonBody(value: unknown): CachedBody {
  return cachedBody(Buffer.from(JSON.stringify(value)), "application/json; charset=utf-8");
}

export function cachedBody(bytes: Buffer, contentType: string): CachedBody {
  const etag = `"${createHash("sha1").update(bytes).digest("base64url")}"`;
  return { bytes, etag, contentType };
}

/** True when an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  for (const candidate of ifNoneMatch.split(",")) {
    const tag = candidate.trim();
    if (tag === etag || (tag.startsWith("W/") && tag.slice(2) === etag)) return true;
  }
  return false;
}

/** Sends `body` with its validators, or 304 when the client already has it. */
export function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  body: CachedBody,
  cacheControl: string,
): FastifyReply {
  reply.header("cache-control", cacheControl).header("etag", body.etag);
  if (matchesEtag(request.headers["if-none-match"], body.etag)) return reply.code(304).send();
  return reply.header("content-type", body.contentType).send(body.bytes);
}

/** Cache-Control for a response that may be reused for `maxAgeMs` (0: always revalidate). */
export function publicCacheControl(maxAgeMs: number): string {
  return maxAgeMs > 0 ? `public, max-age=${Math.max(1, Math.round(maxAgeMs / 1000))}` : "no-cache";
}
