// Parsers for REST path and query parameters: each returns the value or throws a 400 naming it.
import { badRequest } from "./errors.ts";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Rejects query parameters the route does not know: a misspelt one (`q` for `keyword`) would
 * otherwise be ignored silently and answer a different question than the one asked.
 */
export function onlyParams(query: Record<string, unknown>, known: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!known.includes(name)) {
      throw badRequest(`unknown query parameter "${name.slice(0, 40)}"; expected ${known.join(", ")}`);
    }
  }
}

export const pagingParams = ["page", "pageSize"] as const;

export function uuidParam(value: unknown, name: string): string {
  if (typeof value !== "string" || !uuidPattern.test(value)) throw badRequest(`${name} must be a UUID`);
  return value.toLowerCase();
}

export function optionalUuidParam(value: unknown, name: string): string | undefined {
  return value === undefined || value === "" ? undefined : uuidParam(value, name);
}

export function intParam(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  const text = String(value);
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || n < min || n > max)
    throw badRequest(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

export function stringParam(value: unknown, name: string, maxLength: number): string {
  if (value === undefined) return "";
  if (typeof value !== "string") throw badRequest(`${name} must be given once`);
  if (value.length > maxLength) throw badRequest(`${name} must be at most ${maxLength} characters`);
  // PostgreSQL cannot store NUL in text: refused here rather than failing in a service.
  if (value.includes("\0")) throw badRequest(`${name} must not contain NUL characters`);
  return value;
}
