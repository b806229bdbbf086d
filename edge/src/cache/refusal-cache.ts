// The seats inventory just refused. When inventory answers a hold or booking with SEAT_TAKEN (409:
// sold, or held by someone else), the edge remembers those ticket ids for a short window
// (EDGE_SEAT_REFUSAL_MS), with the seat's owner when inventory named it. Fed by inventory's answers
// and by its seat channel (so a release seen by any replica clears the entry here, and a hold or
// sale taken through another replica is refused here too). Who may be refused by an entry is the
// seat guard's decision (booking/seat-guard.ts); this file only keeps entries and their bounds.
import { ConnectError } from "@connectrpc/connect";
import { type SeatChange, SeatChangeKind } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { TakenTicketsSchema } from "#gen/ticketing/inventory/v1/taken_tickets_pb.js";
import { reasonOf } from "#platform";

export interface Refusal {
  until: number;
  message: string;
  /** Buyer or holder, when known. */
  owner: string | null;
}

export class RefusalCache {
  private readonly entries = new Map<string, Refusal>();
  /** Holds granted through this edge, so that releasing one clears its seats here at once. */
  private readonly holds = new Map<string, readonly string[]>();
  private lastSweep = 0;

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.windowMs > 0;
  }

  /** The unexpired refusal of this ticket, if any (an expired one is dropped). */
  get(ticketId: string, now = this.now()): Refusal | undefined {
    const entry = this.entries.get(ticketId);
    if (entry && entry.until <= now) {
      this.entries.delete(ticketId);
      return undefined;
    }
    return entry;
  }

  /**
   * Learns from an inventory error: SEAT_TAKEN refusals are remembered for the tickets inventory
   * named, or for the only ticket of a one-ticket request. Anything else is ignored.
   */
  learn(err: unknown, requested: readonly string[]): void {
    if (!this.enabled || !(err instanceof ConnectError) || reasonOf(err) !== "SEAT_TAKEN") return;
    // Inventory names the taken tickets (and their owners) in a TakenTickets detail when it knows them.
    const taken = err.findDetails(TakenTicketsSchema).flatMap((d) => d.tickets);
    for (const { ticketId, owner } of taken) {
      if (requested.includes(ticketId)) this.remember([ticketId], err.rawMessage, owner || null);
    }
    if (taken.length === 0 && requested.length === 1) this.remember(requested, err.rawMessage, null);
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

  /** Released seats are accepted again at once. */
  forget(ticketIds: readonly string[]): void {
    for (const id of ticketIds) this.entries.delete(id);
  }

  /** Applies a seat-channel change: released seats are accepted again, held and sold ones refused. */
  follow(change: SeatChange): void {
    const by = change.byUserId || null;
    if (change.kind === SeatChangeKind.RELEASED || change.kind === SeatChangeKind.EXPIRED)
      this.forget(change.ticketIds);
    if (change.kind === SeatChangeKind.SOLD)
      this.remember(change.ticketIds, "one of these seats is already sold", by);
    if (change.kind === SeatChangeKind.HELD)
      this.remember(change.ticketIds, "one of these seats is held by someone else", by);
  }

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
