import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Caller,
  certainlyNotCommitted,
  type Logger,
  reasonOf,
  type SqlPools,
  toConnectError,
  within,
} from "#platform";
import type { Clock } from "../clock.ts";
import { type HeldIndex, type HoldRecord, heldUntilMs } from "../holds/held-index.ts";
import type { HoldQuota } from "../holds/hold-quota.ts";
import { bookLeaseValue, holdLeaseValue, type Lease, type LeaseStore } from "../holds/lease-store.ts";
import { type Card, describeCard } from "../payments/card.ts";
import { checkCard } from "../payments/card-check.ts";
import {
  type Authorization,
  PaymentDeclinedError,
  type PaymentGateway,
  PaymentUnavailableError,
} from "../payments/payment-gateway.ts";
import type { SaleWindows } from "../sales/sale-windows.ts";
import { seatTaken } from "../tickets/seat-errors.ts";
import { checkRequest, whyNotBookable } from "../tickets/seat-rules.ts";
import type { TicketRepository, TicketRow } from "../tickets/ticket-repository.ts";
import {
  failure,
  keyReused,
  paymentDeclined,
  paymentUnavailable,
  replayedFailure,
  stillInProgress,
} from "./booking-errors.ts";
import type { BookingRepository, BookingRow } from "./booking-repository.ts";
import { requestHash } from "./request-hash.ts";
import { settleBooking } from "./settle.ts";

export interface BookRequest {
  caller: Caller;
  eventId: string;
  ticketIds: readonly string[];
  card: Card;
  holdId?: string | undefined;
  idempotencyKey: string;
}

export interface BookingSettings {
  /** Lease taken (or a hold renewed to) for one booking; outlasts the payment timeout. */
  bookingLeaseMs: number;
  paymentTimeoutMs: number;
  maxTicketsPerOrder: number;
}

/** Points between durable steps where tests pause or "crash" the flow (a promise that never settles). */
export type BookingStep = "leased" | "authorized" | "committed" | "captured";

export interface BookingDeps {
  /** For the settling transaction when a sale's outcome is unknown. */
  db: SqlPools;
  /** Refuses events not on sale now (cancelled, not yet or no longer on sale). */
  sales: SaleWindows;
  tickets: TicketRepository;
  bookings: BookingRepository;
  leases: LeaseStore;
  index: HeldIndex;
  /** A hold's seats stop counting against its user's MAX_HELD_PER_USER once they are sold. */
  quota: HoldQuota;
  gateway: PaymentGateway;
  clock: Clock;
  logger: Logger;
  settings: BookingSettings;
  onStep?: (step: BookingStep, bookingId: string) => Promise<void> | void;
}

/** One booking attempt: the request, the id its booking gets, and the request's fingerprint. */
interface Attempt {
  req: BookRequest;
  id: string;
  hash: string;
  /** The caller's hold was put back after a declined card: its lease and record stay. */
  keptHold?: boolean;
  /** The record of the hold being booked, read beside the lease's renewal (coverHold). */
  hold?: HoldRecord | undefined;
}

/** A step's outcome when the caller's earlier booking with this key answers instead. */
type Or<T> = T | { replay: BookingRow };
const isReplay = (x: object): x is { replay: BookingRow } => "replay" in x;

/** Aborts the payment call's signal once it is done (see authorize). */
const settledReason = new Error("authorization settled");

/**
 * Booking: lease (or prove the hold) → open: one statement that reads the tickets and opens the
 * PENDING booking → authorize → sell: one self-committing statement that flips every ticket
 * AVAILABLE → SOLD by version compare-and-set and records the payment on the booking, changing
 * nothing unless every ticket is still sellable → finish: capture, then CONFIRMED. Three
 * PostgreSQL round trips in all. The lease keeps honest buyers apart; the version fence is what
 * makes a late or paused holder harmless. Any failure voids the authorization and releases the
 * lease; what a crash leaves PENDING the reconciler settles.
 */
export class BookingService {
  constructor(private readonly deps: BookingDeps) {}

  async book(req: BookRequest): Promise<BookingRow> {
    checkRequest(req.ticketIds, this.deps.settings.maxTicketsPerOrder);
    // Before anything is leased or charged: a mistyped or expired card leaves a hold as it was.
    checkCard(req.card, this.deps.clock.now());
    await this.deps.sales.check(req.eventId);
    const attempt: Attempt = { req, id: randomUUID(), hash: requestHash(req) };
    const lease = await this.lease(attempt);
    if (isReplay(lease)) return lease.replay;
    let made: BookingRow | undefined;
    try {
      await this.coverHold(attempt);
      const opened = await this.open(attempt);
      if (isReplay(opened)) return opened.replay;
      const auth = await this.authorize(attempt, opened.pending);
      const sale = await this.sell(attempt, auth, opened.tickets);
      made = await this.finish(opened.pending, auth, sale);
      return made;
    } finally {
      await this.cleanUp(attempt, lease, made);
    }
  }

  /** The answer to an earlier booking of the caller's under this key (or why not), if there is one. */
  async replayOf(req: BookRequest): Promise<BookingRow | undefined> {
    const previous = await this.deps.bookings.findByKey(req.caller.userId, req.idempotencyKey);
    return previous && replay(previous, requestHash(req));
  }

  /**
   * Lease first: a seat someone else holds is refused by Redis alone, so in an onsale the many
   * losers never queue for PostgreSQL behind the few winners. Takes the tickets' leases for this
   * booking, or proves and renews the caller's hold. A refusal may hide a retry of one of the
   * caller's own bookings, which must get the first answer: a hold is gone once its booking
   * succeeded; a booking still in flight holds its seats under the caller's name; and a sold seat
   * can carry someone else's lease for the moment their doomed attempt takes. So every refusal
   * costs one read on the (user, key) index — the losers still never wait for a lock or a write.
   */
  private async lease(attempt: Attempt): Promise<Or<Lease>> {
    const { req, id, hash } = attempt;
    const { leases, bookings, index, settings } = this.deps;
    try {
      if (!req.holdId) {
        return await leases.acquire(
          req.ticketIds,
          bookLeaseValue(id, req.caller.userId),
          settings.bookingLeaseMs,
        );
      }
      // The hold's record read while the renewal runs: no round trip of its own in the booking's time.
      const [lease, hold] = await Promise.all([
        leases.confirm(req.ticketIds, holdLeaseValue(req.holdId, req.caller.userId), settings.bookingLeaseMs),
        index.find(req.holdId).catch(() => undefined),
      ]);
      attempt.hold = hold;
      return lease;
    } catch (err) {
      const reason = err instanceof ConnectError ? reasonOf(err) : undefined;
      const retry = reason === "SEAT_TAKEN" || reason === "HOLD_LOST";
      const previous = retry ? await bookings.findByKey(req.caller.userId, req.idempotencyKey) : undefined;
      if (previous) return { replay: replay(previous, hash) };
      throw err;
    }
  }

  /**
   * A hold with less time left than the booking's lease: its seats show as held for as long as
   * the lease lasts, or the map and the expiry sweeper would call them free mid-booking (and
   * another buyer would be refused seats shown available). Display only, so a failure is logged.
   */
  private async coverHold(attempt: Attempt): Promise<void> {
    const { hold } = attempt;
    // Counted from after the renewal, so never earlier than Redis's own expiry of the keys.
    const untilMs = Date.now() + this.deps.settings.bookingLeaseMs;
    if (!hold || untilMs <= heldUntilMs(hold)) return;
    attempt.hold = await this.deps.index
      .showUntil(hold, untilMs, attempt.req.ticketIds)
      .catch((err: unknown) => {
        this.deps.logger.warn(
          { err: (err as Error).message, holdId: hold.holdId },
          "held index update failed",
        );
        return hold;
      });
  }

  /** The PENDING booking, durable before any payment (see BookingRepository.open), and its tickets. */
  private async open({ req, id, hash }: Attempt): Promise<Or<{ pending: BookingRow; tickets: TicketRow[] }>> {
    const { bookings, clock, gateway } = this.deps;
    const card = describeCard(req.card.number);
    const { previous, tickets, opened } = await bookings.open({
      id,
      userId: req.caller.userId,
      eventId: req.eventId,
      ticketIds: [...req.ticketIds],
      idempotencyKey: req.idempotencyKey,
      requestHash: hash,
      paymentProvider: gateway.name,
      cardBrand: card.brand,
      cardLast4: card.last4,
      createdAt: clock.now(),
    });
    if (previous) return { replay: replay(previous, hash) };
    if (!opened) {
      whyNotBookable(req.eventId, req.ticketIds, tickets);
      // Bookable, yet not opened: the same key raced us to the insert. Answer as its retry.
      const winner = await bookings.findByKey(req.caller.userId, req.idempotencyKey);
      if (winner) return { replay: replay(winner, hash) };
      throw new Error(`booking ${id} was not opened although its tickets are bookable`);
    }
    await this.step("leased", id);
    return { pending: opened, tickets };
  }

  /** Authorizes the total with the booking id as the provider's idempotency key, within the timeout. */
  private async authorize(attempt: Attempt, pending: BookingRow): Promise<Authorization> {
    const { req, id } = attempt;
    const { gateway, bookings, clock, settings } = this.deps;
    const abort = new AbortController();
    try {
      const request = {
        idempotencyKey: id,
        amountCents: pending.totalCents,
        currency: pending.currency,
        card: req.card,
      };
      return await within(gateway.authorize(request, abort.signal), settings.paymentTimeoutMs, () => {
        // Stop the provider's call before anything is voided, so it cannot authorize afterwards.
        const timedOut = new PaymentUnavailableError("timed out");
        abort.abort(timedOut);
        throw timedOut;
      });
    } catch (err) {
      if (err instanceof PaymentDeclinedError) {
        const kept = await this.keepHold(attempt);
        const message = kept
          ? `${err.message}; your seats stay held until ${kept}: try another card`
          : err.message;
        await bookings.fail(id, failure("PAYMENT_DECLINED", message), null, clock.now());
        throw paymentDeclined(message);
      }
      // Unknown outcome: void whatever may have been authorized under this key.
      this.deps.logger.warn({ bookingId: id, err: (err as Error).message }, "payment authorization failed");
      await this.voidAndFail(id, null, failure("PAYMENT_UNAVAILABLE", "the payment provider did not answer"));
      throw paymentUnavailable();
    } finally {
      // A ready-made reason: a bare abort() builds a DOMException (with a stack) on every booking.
      abort.abort(settledReason);
    }
  }

  /**
   * The fenced sale. "sold": this flow goes on to capture; "settled": the connection broke with the
   * statement sent, and settling from the data found it committed and captured it.
   */
  private async sell({ id }: Attempt, auth: Authorization, rows: TicketRow[]): Promise<"sold" | "settled"> {
    const { tickets, clock } = this.deps;
    await this.step("authorized", id);
    const fenced = rows.map((r) => ({ id: r.id, version: r.version }));
    let sale: { sellable: string[]; sold: boolean };
    try {
      sale = await tickets.sell(id, fenced, auth.ref, clock.now());
    } catch (err) {
      if (certainlyNotCommitted(err)) {
        await this.voidAndFail(id, auth.ref, failure("INCOMPLETE", "the database did not answer"));
      } else {
        // The connection broke with the statement sent: settle from what is durable if the
        // database answers now, else the reconciler does it later.
        const settled = await settleBooking(this.deps, id).catch(() => undefined);
        if (settled === "captured") return "settled";
      }
      throw toConnectError(err);
    }
    if (sale.sold) return "sold";
    throw await this.refused(id, auth, fenced, sale.sellable);
  }

  /** The sale changed nothing: void, fail, and say why (a seat sold meanwhile, or settled already). */
  private async refused(id: string, auth: Authorization, fenced: { id: string }[], sellable: string[]) {
    await this.voidAndFail(
      id,
      auth.ref,
      failure("SEAT_TAKEN", "one of these seats was just sold to someone else"),
    );
    if (sellable.length === fenced.length) {
      // Every seat was still free, so the booking was no longer PENDING: the reconciler settled it.
      return new ConnectError("this booking took too long and was cancelled; try again", Code.Aborted);
    }
    const free = new Set(sellable);
    return seatTaken(
      undefined,
      Object.fromEntries(fenced.filter((f) => !free.has(f.id)).map((f) => [f.id, null])),
    );
  }

  /**
   * Sold and authorized: from here the sale stands, and whatever does not finish now the
   * reconciler finishes (the booking answers PENDING until then). Capture, then CONFIRMED.
   */
  private async finish(
    pending: BookingRow,
    auth: Authorization,
    sale: "sold" | "settled",
  ): Promise<BookingRow> {
    const { gateway, bookings, clock, logger } = this.deps;
    const done = { ...pending, paymentRef: auth.ref, updatedAt: clock.now() };
    if (sale === "settled") return { ...done, status: "CONFIRMED" };
    await this.step("committed", pending.id);
    try {
      await gateway.capture(auth.ref);
    } catch (err) {
      logger.warn(
        { bookingId: pending.id, err: (err as Error).message },
        "capture failed; left to the reconciler",
      );
      return done;
    }
    await this.step("captured", pending.id);
    try {
      // Not waited for on disk: see confirmLazily (the reconciler redoes it after a crash).
      await bookings.confirmGrouped(pending.id, clock.now());
    } catch (err) {
      const message = "marking CONFIRMED failed; left to the reconciler";
      logger.warn({ bookingId: pending.id, err: (err as Error).message }, message);
      return done;
    }
    return { ...done, status: "CONFIRMED" };
  }

  /** Voids first, then marks FAILED: if the void fails the booking stays PENDING for the reconciler. */
  private async voidAndFail(id: string, ref: string | null, reason: string): Promise<void> {
    const { gateway, bookings, clock, logger } = this.deps;
    try {
      const known = ref ?? (await gateway.findAuthorization(id)) ?? null;
      if (known) await gateway.void(known);
      await bookings.fail(id, reason, known, clock.now());
    } catch (err) {
      logger.warn(
        { bookingId: id, err: (err as Error).message },
        "compensation incomplete; left to the reconciler",
      );
    }
  }

  /**
   * After a declined card the buyer tries another until the hold ends: the hold's lease, renewed
   * to the booking's lease, goes back to the hold's own expiry, and so does the seat map. Returns
   * that expiry, or undefined when the booking had no hold (or it cannot be kept).
   */
  private async keepHold(attempt: Attempt): Promise<string | undefined> {
    const { req } = attempt;
    if (!req.holdId) return undefined;
    // Read again: the buyer may have released the hold while the card was being tried.
    const hold = await this.deps.index.find(req.holdId).catch(() => undefined);
    if (!hold) return undefined;
    // The hold's own expiry, never the booking's lease: declined cards must not prolong a hold.
    const expiresMs = Date.parse(hold.expiresAt);
    const left = expiresMs - Date.now();
    if (left <= 0) return undefined;
    const value = holdLeaseValue(req.holdId, req.caller.userId);
    const kept = await this.deps.leases.confirm(req.ticketIds, value, left).then(
      () => true,
      () => false,
    );
    attempt.keptHold = kept;
    if (kept && heldUntilMs(hold) !== expiresMs) {
      await this.deps.index.showUntil(hold, expiresMs, req.ticketIds).catch((err: unknown) => {
        this.deps.logger.warn(
          { err: (err as Error).message, holdId: hold.holdId },
          "held index update failed",
        );
      });
    }
    return kept ? hold.expiresAt : undefined;
  }

  /**
   * Gives the lease back and updates the seat map, together: neither waits for the other (the
   * sale is durable already, and a seat is refused by its lease or by its SOLD row alike), so the
   * answer waits for one Redis round trip, not two. `booked` is what this attempt made, if anything.
   */
  private async cleanUp(attempt: Attempt, lease: Lease, booked: BookingRow | undefined): Promise<void> {
    const { leases, index, quota, logger } = this.deps;
    const { req } = attempt;
    if (attempt.keptHold) return; // the hold stands as it was: lease, record and quota
    const released = leases.release(lease); // never rejects: a failed release runs out by TTL
    const sold = booked && booked.status !== "FAILED";
    const { holdId, eventId, ticketIds } = req;
    const update = sold
      ? Promise.all([
          index.sold(eventId, ticketIds, req.caller.userId, holdId),
          holdId ? quota.release({ holdId, userId: req.caller.userId, eventId, ticketIds }) : undefined,
        ])
      : req.holdId
        ? index.find(req.holdId).then((hold) => hold && index.forget(hold))
        : undefined;
    await Promise.all([
      released,
      update?.catch((err: unknown) =>
        logger.warn({ err: (err as Error).message }, "held index update failed"),
      ),
    ]);
  }

  private async step(step: BookingStep, bookingId: string): Promise<void> {
    await this.deps.onStep?.(step, bookingId);
  }
}

/** The answer for the caller's earlier booking with this key: the same one, or why not. */
function replay(previous: BookingRow, hash: string): BookingRow {
  if (previous.requestHash !== hash) throw keyReused();
  if (previous.status === "FAILED") throw replayedFailure(previous);
  if (previous.status === "PENDING") throw stillInProgress();
  return previous;
}
