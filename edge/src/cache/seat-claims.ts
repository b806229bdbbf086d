// Which seats have a hold or booking request in flight through this edge, and whose. Only one
// request per seat can win its lease, so at an onsale's opening second — thousands of requests
// at the same instant, before any refusal has been learned — refusing other users' requests for a
// claimed seat sends inventory one request per seat instead of the whole herd.

export class SeatClaims {
  private readonly inFlight = new Map<string, { userId: string; requests: number }>();

  constructor(private readonly enabled: boolean) {}

  /** The user whose request for this seat is in flight, if any. */
  claimant(ticketId: string): string | undefined {
    return this.inFlight.get(ticketId)?.userId;
  }

  /**
   * Marks the seats as having `userId`'s request in flight until the returned function is called.
   * Callers check for other claimants first, in the same tick, so seats are never claimed by two users.
   */
  claim(ticketIds: readonly string[], userId: string): () => void {
    if (!this.enabled) return () => undefined;
    for (const id of ticketIds) {
      const claim = this.inFlight.get(id);
      if (claim) claim.requests++;
      else this.inFlight.set(id, { userId, requests: 1 });
    }
    return () => {
      for (const id of ticketIds) {
        const claim = this.inFlight.get(id);
        if (claim && --claim.requests === 0) this.inFlight.delete(id);
      }
    };
  }
}
