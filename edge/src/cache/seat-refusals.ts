// Edge-side refusal cache for seats: when inventory answers a hold or booking with SEAT_TAKEN
// (409: the seat is sold or held by someone else), the edge remembers those ticket ids for a short
// window (EDGE_SEAT_REFUSAL_MS) and refuses later requests naming any of them with the same 409,
// without calling inventory. At an onsale most requests are for seats that were just taken; this
// keeps those refusals off inventory, Redis and PostgreSQL.
//
// It is a throughput / user-experience shortcut ONLY, never part of the guarantee. It can only
// ever say "no": a request it lets through goes to inventory, where the lease and the version-fenced
// sale decide as before. So a stale entry (the seat was released, or a booking failed and gave its
// lease back) can at worst refuse a buyer falsely for at most the window — it can never sell a
// seat twice or charge anyone. Two kinds of request always go through to inventory, because
// inventory's answer to them may differ from what it told others:
// - bookings with a holdId (the holder proves the hold at inventory, and must not be refused
//   because others were refused on the seat it holds);
// - bookings by the seat's owner, or when the owner is unknown: a booking that names an
//   Idempotency-Key already used by its winner must get the first answer (201) replayed, never a
//   409 from here. So for bookings only entries whose owner (buyer or holder) is known and is
//   someone else refuse. Holds have no replay, so any entry refuses a hold.
//
// Fed by inventory's answers, and optionally by the `<prefix>seats:<eventId>` pub/sub channel the
// inventory service publishes holds, releases and sales on (so a release seen by any replica clears
// the entry here, and a hold or sale taken through another replica is refused here too).
//
// It also knows which seats have a hold or booking request in flight through this edge, and whose:
// while one is, another user's request naming that seat is refused at once. Only one request per
// seat can win its lease, so at an onsale's opening second — thousands of requests at the same
// instant, before any refusal has been learned — this sends inventory one request per seat instead
// of the whole herd, and the rest get their 409 in the time the edge takes to read them. The same
// caveat applies, for a shorter window: if the request in flight fails (its card is declined,
// another of its seats was taken), the seat was refused falsely while it ran. A seat's known owner
// still reaches inventory; an owner this edge does not know (the cache entry expired) whose retry
// arrives while someone else's request for the seat is in flight is refused for those
// milliseconds, and gets the replay on its next retry.
import { Code, ConnectError } from "@connectrpc/connect";
import { type SeatChange, SeatChangeKind } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { reasonError, reasonOf, type TakenTickets, takenTicketsKey } from "#platform";

interface Entry {
  until: number;
  message: string;
  /** Buyer or holder, when known. */
  owner: string | null;
}

/** Who asks, and whether the answer could be an idempotent replay (bookings). */
export interface Asker {
  userId: string;
  booking: boolean;
}

/** The refusal while someone else's request for the seat is in flight through this edge. */
const inFlightMessage = "one of these seats is being booked by someone else";

export class SeatRefusals {
  private readonly entries = new Map<string, Entry>();
  /** Seats with a request in flight through this edge: whose, and how many of theirs. */
  private readonly inFlight = new Map<string, { userId: string; requests: number }>();
  private lastSweep = 0;

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.windowMs > 0;
  }

  /** Throws the cached SEAT_TAKEN refusal if any of these tickets was refused within the window. */
  check(ticketIds: readonly string[], asker: Asker): void {
    const message = this.refusal(ticketIds, asker);
    if (message !== undefined) throw reasonError(message, Code.FailedPrecondition, "SEAT_TAKEN");
  }

  /**
   * The cached refusal's message if any of these tickets was refused within the window (the REST
   * routes answer it as 409 `{code: "seat_taken", message}` directly, without building an error).
   */
  refusal(ticketIds: readonly string[], asker: Asker): string | undefined {
    if (!this.enabled) return;
    const now = this.now();
    for (const id of ticketIds) {
      let entry = this.entries.get(id);
      if (entry && entry.until <= now) {
        this.entries.delete(id);
        entry = undefined;
      }
      // The seat's known owner booking it again is an idempotent replay: always to inventory.
      if (asker.booking && entry?.owner === asker.userId) continue;
      const claim = this.inFlight.get(id);
      if (claim && claim.userId !== asker.userId) return inFlightMessage;
      if (!entry) continue;
      // A booking is refused only by a seat known to be someone else's (see the top of the file).
      if (asker.booking && entry.owner === null) continue;
      return entry.message;
    }
    return undefined;
  }

  /**
   * Learns from an inventory error: SEAT_TAKEN refusals are remembered for the tickets inventory
   * named, or for the only ticket of a one-ticket request. Anything else is ignored.
   */
  learn(err: unknown, requested: readonly string[]): void {
    if (!this.enabled || !(err instanceof ConnectError) || reasonOf(err) !== "SEAT_TAKEN") return;
    let taken: TakenTickets = {};
    try {
      taken = JSON.parse(err.metadata.get(takenTicketsKey) ?? "{}") as TakenTickets;
    } catch {
      // an inventory without the trailer: fall back to the one-ticket case below
    }
    for (const [id, owner] of Object.entries(taken)) {
      if (requested.includes(id))
        this.remember([id], err.rawMessage, typeof owner === "string" ? owner : null);
    }
    if (Object.keys(taken).length === 0 && requested.length === 1)
      this.remember(requested, err.rawMessage, null);
  }

  remember(ticketIds: readonly string[], message: string, owner: string | null): void {
    if (!this.enabled || ticketIds.length === 0) return;
    const now = this.now();
    this.sweep(now);
    const entry = { until: now + this.windowMs, message, owner };
    for (const id of ticketIds) {
      const known = this.entries.get(id);
      this.entries.delete(id); // re-insert: Map order stays oldest-first for the size bound
      // An anonymous refusal never hides an owner learned for the same seat.
      this.entries.set(id, owner === null && known?.owner ? { ...entry, owner: known.owner } : entry);
    }
  }

  /**
   * Marks the seats as having `userId`'s request in flight until the returned function is called.
   * Callers check `refusal` first, in the same tick, so seats are never claimed by two users.
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

  /** Holds granted through this edge, so that releasing one clears its seats here at once. */
  private readonly holds = new Map<string, readonly string[]>();

  granted(holdId: string, ticketIds: readonly string[]): void {
    if (!this.enabled) return;
    if (this.holds.size >= this.maxEntries) {
      const oldest = this.holds.keys().next().value;
      if (oldest !== undefined) this.holds.delete(oldest);
    }
    this.holds.set(holdId, ticketIds);
  }

  /** A hold was released through this edge: its seats are accepted again at once. */
  released(holdId: string): void {
    const ids = this.holds.get(holdId);
    if (!ids) return;
    this.holds.delete(holdId);
    this.forget(ids);
  }

  /** Released seats are accepted again at once. */
  forget(ticketIds: readonly string[]): void {
    for (const id of ticketIds) this.entries.delete(id);
  }

  /** Applies a seat-channel change: released seats are accepted again, held and sold ones refused. */
  followChange(change: SeatChange): void {
    const by = change.byUserId || null;
    if (change.kind === SeatChangeKind.RELEASED || change.kind === SeatChangeKind.EXPIRED)
      this.forget(change.ticketIds);
    if (change.kind === SeatChangeKind.SOLD)
      this.remember(change.ticketIds, "one of these seats is already sold", by);
    if (change.kind === SeatChangeKind.HELD)
      this.remember(change.ticketIds, "one of these seats is held by someone else", by);
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    if (this.entries.size < this.maxEntries && now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [id, entry] of this.entries) if (entry.until <= now) this.entries.delete(id);
    // Still over the bound: drop the oldest (only ever makes the edge ask inventory again).
    for (const id of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(id);
    }
  }
}

/** Runs an inventory call for these tickets through the cache: refused early, or learned from. */
export async function throughRefusals<T>(
  refusals: SeatRefusals,
  ticketIds: readonly string[],
  asker: Asker,
  call: () => Promise<T>,
): Promise<T> {
  refusals.check(ticketIds, asker);
  return learnFrom(refusals, ticketIds, asker.userId, call);
}

/**
 * Runs `userId`'s inventory call with its seats claimed as in flight, and learns from its
 * SEAT_TAKEN refusal, if any. Call it in the same tick as the `refusal` check that let it through.
 */
export async function learnFrom<T>(
  refusals: SeatRefusals,
  ticketIds: readonly string[],
  userId: string,
  call: () => Promise<T>,
): Promise<T> {
  const done = refusals.claim(ticketIds, userId);
  try {
    return await call();
  } catch (err) {
    refusals.learn(err, ticketIds);
    throw err;
  } finally {
    done();
  }
}
