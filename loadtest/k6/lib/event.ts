// The slice of the edge's event responses the scripts need. Field names follow the public API's
// REST JSON (camelCase); ticket statuses are AVAILABLE, HELD or SOLD.
import http from "k6/http";
import { BASE_URL, json } from "./env.ts";

export type Ticket = {
  id: string;
  sectionId?: string;
  row?: string;
  seat?: number;
  status?: "AVAILABLE" | "HELD" | "SOLD";
};
export type SectionAvailability = { sectionId: string; available?: number };
export type EventPage = {
  event?: { id?: string; name?: string };
  availability?: SectionAvailability[];
  tickets?: Ticket[];
  ticketsUrl?: string;
};

export function isAvailable(t: Ticket): boolean {
  return t.status === "AVAILABLE";
}

/** URL names keep one time series per route instead of one per event or section. */
export const routes = {
  event: "GET /events/{id}",
  sectionTickets: "GET /events/{id}/tickets?section=",
  search: "GET /events/search",
  login: "POST /auth/login",
  hold: "POST /events/{id}/holds",
  book: "POST /bookings/{eventId}",
} as const;

export function getEvent(eventId: string) {
  const res = http.get(`${BASE_URL}/events/${eventId}`, { tags: { name: routes.event } });
  return { res, page: json<EventPage>(res.body) };
}

export function getSectionTickets(eventId: string, sectionId: string) {
  const res = http.get(`${BASE_URL}/events/${eventId}/tickets?section=${encodeURIComponent(sectionId)}`, {
    tags: { name: routes.sectionTickets },
  });
  return { res, tickets: json<{ tickets?: Ticket[] }>(res.body)?.tickets ?? [] };
}

/** Sections that still have places, by availability or, failing that, by the inline tickets. */
export function sectionsWithSeats(page: EventPage | undefined): string[] {
  const fromAvailability = (page?.availability ?? [])
    .filter((s) => s.available === undefined || s.available > 0)
    .map((s) => s.sectionId);
  if (fromAvailability.length > 0) return fromAvailability;
  const fromTickets = (page?.tickets ?? []).filter(isAvailable).map((t) => t.sectionId ?? "");
  return [...new Set(fromTickets)].filter((s) => s !== "");
}

/** Up to `count` available tickets starting at a random place, so buyers spread over the venue. */
export function chooseTickets(tickets: Ticket[], count: number): string[] {
  const open = tickets.filter(isAvailable);
  if (open.length === 0) return [];
  const start = Math.floor(Math.random() * open.length);
  const chosen: string[] = [];
  for (let i = 0; i < open.length && chosen.length < count; i++) {
    const t = open[(start + i) % open.length];
    if (t) chosen.push(t.id);
  }
  return chosen;
}
