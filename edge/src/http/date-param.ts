// Dates in query strings. `new Date()` rolls impossible dates over (2027-02-30 becomes March 2)
// and reads a date-time without an offset in the server's time zone, so the parts are checked
// against the calendar here and the time zone is always explicit: a date is a UTC day, a date-time
// is UTC unless it names an offset.
import { badRequest } from "./errors.ts";

const shape =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const day = 86_400_000;

export interface DateParamOptions {
  /** A bare date means its last millisecond rather than its first: an inclusive upper bound. */
  endOfDay?: boolean;
}

/** ISO-8601 date (`2026-12-31`) or date-time (`2026-12-31T20:00:00Z`), checked to exist. */
export function dateParam(value: unknown, name: string, options: DateParamOptions = {}): Date | undefined {
  if (value === undefined || value === "") return undefined;
  const text = typeof value === "string" ? value : "";
  const m = shape.exec(text);
  if (!m) throw badRequest(`${name} must be an ISO-8601 date such as 2026-12-31 or 2026-12-31T20:00:00Z`);
  const part = (i: number) => Number(m[i] ?? 0);
  const [year, month, date] = [part(1), part(2), part(3)];
  const [hour, minute, second] = [part(4), part(5), part(6)];
  const midnight = Date.UTC(year, month - 1, date);
  const calendar = new Date(midnight);
  // Date.UTC maps years 0–99 to 1900–1999; no event is dated then anyway.
  const exists =
    year >= 1000 &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === date &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  if (!exists) throw badRequest(`${name} is not a calendar date and time: ${text}`);
  const offset = offsetMinutes(m[8], name, text);
  if (m[4] === undefined) return new Date(options.endOfDay ? midnight + day - 1 : midnight);
  const fraction = Math.floor(Number(`0.${m[7] ?? "0"}`) * 1000);
  return new Date(midnight + ((hour * 60 + minute - offset) * 60 + second) * 1000 + fraction);
}

function offsetMinutes(zone: string | undefined, name: string, value: string): number {
  if (zone === undefined || zone === "Z") return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(-2));
  if (hours > 23 || minutes > 59) throw badRequest(`${name} is not a calendar date and time: ${value}`);
  return (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}
