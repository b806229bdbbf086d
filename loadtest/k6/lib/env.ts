// Settings every script reads from the environment (`k6 run -e NAME=value` or exported variables).
import { fail } from "k6";
import crypto from "k6/crypto";

/** The edge, without a trailing slash. */
export const BASE_URL = (__ENV.BASE_URL || "http://127.0.0.1:8080").replace(/\/+$/, "");

/** A number from the environment, or the default when unset. */
export function num(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) fail(`${name} must be a number, got "${raw}"`);
  return value;
}

/** A string from the environment, or the default when unset. */
export function str(name: string, fallback: string): string {
  const raw = __ENV[name];
  return raw === undefined || raw === "" ? fallback : raw;
}

/** The event(s) under test: EVENT_ID (one hot event) or EVENT_IDS (comma-separated). */
export function eventIds(): string[] {
  const ids = str("EVENT_IDS", str("EVENT_ID", ""))
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (ids.length === 0)
    fail("set EVENT_ID (or EVENT_IDS) to the id of a seeded event, e.g. -e EVENT_ID=<uuid>");
  return ids;
}

/** A random element of a non-empty list. */
export function pick<T>(items: ArrayLike<T>): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** A random RFC 4122 version 4 UUID (idempotency keys). */
export function uuid(): string {
  const b = new Uint8Array(crypto.randomBytes(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Parses a JSON body without throwing (k6's res.json() throws on HTML error pages). */
export function json<T>(body: unknown): T | undefined {
  if (typeof body !== "string" || body === "") return undefined;
  try {
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}
