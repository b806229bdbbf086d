// The edge's guard in front of inventory's holds and bookings, used alike by the REST routes and
// the Connect handlers: seats inventory just refused (cache/refusal-cache.ts) and seats with
// another user's request in flight (cache/seat-claims.ts) are refused here with the same 409
// SEAT_TAKEN, without calling inventory. At an onsale most requests are for seats that were just
// taken; this keeps those refusals off inventory, Redis and PostgreSQL.
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
// A seat claimed by someone else's request in flight is refused for as long as it runs. If that
// request fails (its card is declined, another of its seats was taken), the seat was refused
// falsely meanwhile. A seat's known owner still reaches inventory; an owner this edge does not
// know (the cache entry expired) whose retry arrives while someone else's request for the seat is
// in flight is refused for those milliseconds, and gets the replay on its next retry.
import { Code, ConnectError } from "@connectrpc/connect";
import type { SeatChange } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { TakenTicketsSchema } from "#gen/ticketing/inventory/v1/taken_tickets_pb.js";
import { reasonError, reasonOf } from "#platform";
import { RefusalCache } from "../cache/refusal-cache.ts";
import { SeatClaims } from "../cache/seat-claims.ts";

/** Who asks, and whether the answer could be an idempotent replay (bookings). */
export interface Asker {
  userId: string;
  booking: boolean;
}

/** A refusal made here: its message and the tickets it refuses. */
export interface Refused {
  message: string;
  ticketIds: string[];
}

/** Inventory's answer, or the edge's own refusal (sent as 409 seat_taken without an error built). */
export type Guarded<T> = { answer: T; refused?: undefined } | { refused: Refused; answer?: undefined };

/** The refusal while someone else's request for the seat is in flight through this edge. */
const inFlightMessage = "one of these seats is being booked by someone else";

export class SeatGuard {
  readonly refusals: RefusalCache;
  private readonly claims: SeatClaims;

  constructor(windowMs: number, maxEntries?: number, now?: () => number) {
    this.refusals = new RefusalCache(windowMs, maxEntries, now);
    this.claims = new SeatClaims(windowMs > 0);
  }

  get enabled(): boolean {
    return this.refusals.enabled;
  }

  get size(): number {
    return this.refusals.size;
  }

  /** The refusal's message if any of these tickets must be refused here, else undefined. */
  refusal(ticketIds: readonly string[], asker: Asker): string | undefined {
    return this.refused(ticketIds, asker)?.message;
  }

  /** The refusal if any of these tickets must be refused here (naming each one refused), else undefined. */
  refused(ticketIds: readonly string[], asker: Asker): Refused | undefined {
    if (!this.enabled) return;
    let refused: Refused | undefined;
    for (const id of ticketIds) {
      const message = this.refusalOf(id, asker);
      if (message === undefined) continue;
      refused ??= { message, ticketIds: [] };
      refused.ticketIds.push(id);
    }
    return refused;
  }

  private refusalOf(id: string, asker: Asker): string | undefined {
    const entry = this.refusals.get(id);
    // The seat's known owner booking it again is an idempotent replay: always to inventory.
    if (asker.booking && entry?.owner === asker.userId) return undefined;
    const claimant = this.claims.claimant(id);
    if (claimant !== undefined && claimant !== asker.userId) return inFlightMessage;
    // A booking is refused only by a seat known to be someone else's (see the top of the file).
    if (!entry || (asker.booking && entry.owner === null)) return undefined;
    return entry.message;
  }

  /** Throws the SEAT_TAKEN refusal if these tickets must be refused here. */
  check(ticketIds: readonly string[], asker: Asker): void {
    const refused = this.refused(ticketIds, asker);
    if (refused !== undefined) throw seatTaken(refused);
  }

  learn(err: unknown, requested: readonly string[]): void {
    this.refusals.learn(err, requested);
  }

  follow(change: SeatChange): void {
    this.refusals.follow(change);
  }

  /**
   * Runs `userId`'s inventory call with its seats claimed as in flight, and learns from its
   * SEAT_TAKEN refusal, if any. Call it in the same tick as the `refusal` check that let it through.
   */
  async run<T>(ticketIds: readonly string[], userId: string, call: () => Promise<T>): Promise<T> {
    const done = this.claims.claim(ticketIds, userId);
    try {
      return await call();
    } catch (err) {
      this.refusals.learn(err, ticketIds);
      throw withoutOwners(err, ticketIds);
    } finally {
      done();
    }
  }

  /** A hold through the guard; a granted hold is remembered so that its release clears its seats. */
  async hold<T extends { holdId: string; ticketIds: string[] }>(
    ticketIds: readonly string[],
    userId: string,
    call: () => Promise<T>,
  ): Promise<Guarded<T>> {
    const refused = this.refused(ticketIds, { userId, booking: false });
    if (refused !== undefined) return { refused };
    const answer = await this.run(ticketIds, userId, call);
    this.refusals.granted(answer.holdId, answer.ticketIds);
    return { answer };
  }

  /** A booking through the guard; one with a hold always goes to inventory (see the top). */
  async book<T>(
    req: { ticketIds: readonly string[]; holdId: string },
    userId: string,
    call: () => Promise<T>,
  ): Promise<Guarded<T>> {
    if (req.holdId) {
      try {
        return { answer: await call() };
      } catch (err) {
        throw withoutOwners(err, req.ticketIds);
      }
    }
    const refused = this.refused(req.ticketIds, { userId, booking: true });
    if (refused !== undefined) return { refused };
    return { answer: await this.run(req.ticketIds, userId, call) };
  }

  /** A release through the guard: the hold's seats are accepted again here at once. */
  async release<T>(holdId: string, call: () => Promise<T>): Promise<T> {
    const answer = await call();
    this.refusals.released(holdId);
    return answer;
  }
}

/** The error a refusal is on the Connect API: the same reason and detail inventory gives. */
export function seatTaken(refused: Refused): ConnectError {
  const tickets = refused.ticketIds.map((ticketId) => ({ ticketId, owner: "" }));
  return reasonError(refused.message, Code.FailedPrecondition, "SEAT_TAKEN", [
    { desc: TakenTicketsSchema, value: { tickets } },
  ]);
}

/**
 * Inventory's SEAT_TAKEN as the caller may see it: the taken tickets without their owners (other
 * users' ids are the edge's to act on, never to pass on). A one-ticket request names its ticket
 * even when inventory could not, as the refusal cache does.
 */
function withoutOwners(err: unknown, requested: readonly string[]): unknown {
  if (!(err instanceof ConnectError) || reasonOf(err) !== "SEAT_TAKEN") return err;
  const named = err.findDetails(TakenTicketsSchema).flatMap((d) => d.tickets.map((t) => t.ticketId));
  const ticketIds = named.length === 0 && requested.length === 1 ? [...requested] : named;
  return seatTaken({ message: err.rawMessage, ticketIds });
}

/** The answer, or the refusal thrown as an error (for Connect handlers). */
export function answerOf<T>(guarded: Guarded<T>): T {
  if (guarded.refused !== undefined) throw seatTaken(guarded.refused);
  return guarded.answer;
}
