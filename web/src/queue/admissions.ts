// Admission tokens from the waiting room, one per event, kept for this tab until the shopping
// window ends. Holds and bookings of that event carry it (their `admission_token` field).
const prefix = "ticketing.admission.";

interface Admission {
  token: string;
  endsAt: number;
}

export const admissions = {
  save(eventId: string, token: string, endsAt: number): void {
    sessionStorage.setItem(prefix + eventId, JSON.stringify({ token, endsAt } satisfies Admission));
  },
  /** The event's admission token while its window lasts, else "" (what an event without a room sends). */
  token(eventId: string): string {
    try {
      const a = JSON.parse(sessionStorage.getItem(prefix + eventId) ?? "null") as Admission | null;
      return a && a.endsAt > Date.now() ? a.token : "";
    } catch {
      return "";
    }
  },
  forget(eventId: string): void {
    sessionStorage.removeItem(prefix + eventId);
  },
};

/** The waiting room's address for an event, returning to `next` (the seats) once admitted. */
export const queuePath = (eventId: string, next: string) =>
  `/queue/${eventId}?next=${encodeURIComponent(next)}`;
