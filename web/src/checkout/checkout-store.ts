// A checkout in progress, kept in sessionStorage by hold id: the checkout page survives a reload,
// and its Idempotency-Key stays the same across retries of one payment attempt.
export interface CheckoutSeat {
  id: string;
  label: string;
  priceCents: number;
}

export interface Checkout {
  holdId: string;
  eventId: string;
  eventName: string;
  sectionId: string;
  currency: string;
  expiresAt: number;
  seats: CheckoutSeat[];
  /** The key of the current payment attempt; replaced only after a definite answer. */
  idempotencyKey: string;
}

const prefix = "ticketing.checkout.";

export const checkouts = {
  save(checkout: Checkout): void {
    sessionStorage.setItem(prefix + checkout.holdId, JSON.stringify(checkout));
  },
  load(holdId: string): Checkout | undefined {
    try {
      return (JSON.parse(sessionStorage.getItem(prefix + holdId) ?? "null") as Checkout | null) ?? undefined;
    } catch {
      return undefined;
    }
  },
  remove(holdId: string): void {
    sessionStorage.removeItem(prefix + holdId);
  },
  /** Ticket ids this tab holds right now, to draw them as "yours" on the map. */
  heldTicketIds(): Set<string> {
    const ids = new Set<string>();
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (!key?.startsWith(prefix)) continue;
      const c = checkouts.load(key.slice(prefix.length));
      if (c && c.expiresAt > Date.now()) for (const s of c.seats) ids.add(s.id);
    }
    return ids;
  },
};

/** Seat labels of a booking, remembered when it is made so the confirmation can name them at once. */
const labelsPrefix = "ticketing.booking-seats.";
export const bookingSeats = {
  save(bookingId: string, seats: CheckoutSeat[]): void {
    localStorage.setItem(labelsPrefix + bookingId, JSON.stringify(seats));
  },
  load(bookingId: string): CheckoutSeat[] | undefined {
    try {
      return JSON.parse(localStorage.getItem(labelsPrefix + bookingId) ?? "null") ?? undefined;
    } catch {
      return undefined;
    }
  },
};
