// An event page's data, asked for the moment the buyer heads there (the app opened on its URL, a
// result clicked), in parallel with the page's code instead of after it: the page takes the
// answer when it mounts. Part of the first bundle, so it is small; an answer nobody takes within
// a couple of seconds is dropped (the page then asks afresh, as it would have anyway).
import type { GetEventPageResponse, ListSectionTicketsResponse } from "#gen/ticketing/api/v1/api_pb.js";
import { api } from "../api/client.ts";

const freshMs = 2000;

interface Entry<T> {
  promise: Promise<T>;
  at: number;
}

const pages = new Map<string, Entry<GetEventPageResponse>>();
const sections = new Map<string, Entry<ListSectionTicketsResponse>>();

function put<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>): void {
  const now = Date.now();
  for (const [k, e] of map) if (now - e.at > freshMs) map.delete(k);
  if (map.has(key)) return;
  const promise = load();
  // Never taken is not an error: the page asks again.
  promise.catch(() => {});
  map.set(key, { promise, at: now });
}

function take<T>(map: Map<string, Entry<T>>, key: string): Promise<T> | undefined {
  const entry = map.get(key);
  map.delete(key);
  return entry && Date.now() - entry.at <= freshMs ? entry.promise : undefined;
}

/** Starts loading the event (and the chosen section's seats) unless that is under way. */
export function prefetchEvent(eventId: string, sectionId?: string | null): void {
  put(pages, eventId, () => api.getEventPage({ eventId }));
  if (sectionId)
    put(sections, `${eventId}/${sectionId}`, () => api.listSectionTickets({ eventId, sectionId }));
}

/** The prefetched page, once: later reloads go to the network. */
export const prefetchedPage = (eventId: string) => take(pages, eventId);

/** The prefetched seats of a section, once. */
export const prefetchedSection = (eventId: string, sectionId: string) =>
  take(sections, `${eventId}/${sectionId}`);

/** The event id and section of an event page URL, if `pathname` is one (`/e/<id>`). */
export function eventRouteOf(
  pathname: string,
  search: string,
): { eventId: string; sectionId: string | null } | undefined {
  const match = /^\/e\/([0-9a-f-]{36})\/?$/i.exec(pathname);
  return match?.[1]
    ? { eventId: match[1], sectionId: new URLSearchParams(search).get("section") }
    : undefined;
}
