// Money and dates as buyers read them: prices in the event's currency, times in the venue's zone.
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampDate } from "@bufbuild/protobuf/wkt";

export function money(cents: bigint | number, currency = "USD"): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(Number(cents) / 100);
}

export function dateOf(ts: Timestamp | undefined): Date | undefined {
  return ts ? timestampDate(ts) : undefined;
}

const dateTime: Intl.DateTimeFormatOptions = {
  weekday: "short",
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
};

/**
 * "Sat, Jun 5, 2027, 7:30 PM CDT": the venue's clock in `timeZone` (an IANA zone), with the zone
 * named so a buyer abroad is not misled. Without a zone, or with one this browser does not know,
 * the browser's own (still named).
 */
export function when(ts: Timestamp | undefined, timeZone?: string): string {
  const date = dateOf(ts);
  if (!date) return "Date to be announced";
  if (timeZone) {
    try {
      return new Intl.DateTimeFormat("en-US", { ...dateTime, timeZone }).format(date);
    } catch {
      // RangeError: an unknown zone; fall through to the browser's.
    }
  }
  return new Intl.DateTimeFormat("en-US", dateTime).format(date);
}

/** m:ss for a countdown. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
