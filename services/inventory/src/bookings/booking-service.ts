import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Batcher,
  type Caller,
  certainlyNotCommitted,
  type Logger,
  type Orm,
  reasonError,
  reasonOf,
  toConnectError,
} from "#platform";
import type { Clock } from "../clock.ts";
import type { HeldIndex } from "../holds/held-index.ts";
import { checkRequest, checkRows } from "../holds/hold-service.ts";
import { bookLeaseValue, holdLeaseValue, type Lease, type LeaseStore } from "../holds/lease-store.ts";
import { type Card, describeCard } from "../payments/card.ts";
import {
  type Authorization,
  PaymentDeclinedError,
  type PaymentGateway,
  PaymentUnavailableError,
} from "../payments/payment-gateway.ts";
import type { TicketRepository, TicketRow } from "../tickets/ticket-repository.ts";
import {
  failure,
  paymentDeclined,
  paymentUnavailable,
  replayedFailure,
  seatTaken,
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
  orm: Orm;
  tickets: TicketRepository;
  bookings: BookingRepository;
  /**
   * `bookings.confirmLazily`, grouped: the bookings captured while one update runs go together in
   * the next (one statement for many bookings under load).
   */
  confirmations: Batcher<string, void>;
  leases: LeaseStore;
  index: HeldIndex;
  gateway: PaymentGateway;
  clock: Clock;
  logger: Logger;
  settings: BookingSettings;
  onStep?: (step: BookingStep, bookingId: string) => Promise<void> | void;
}

/** Aborts the payment call's signal once it is done (see authorize). */
const settledReason = new Error("authorization settled");

/**
 * Booking: lease (or prove the hold) → one statement that reads the tickets and opens the PENDING
 * booking → authorize → one self-committing statement that flips every ticket AVAILABLE → SOLD by
 * version compare-and-set and records the payment on the booking, changing nothing unless every
 * ticket is still sellable → capture → CONFIRMED. Three PostgreSQL round trips in all. The lease
 * keeps honest buyers apart; the version fence is what makes a late or paused holder harmless.
 * Any failure voids the authorization and releases the lease; what a crash leaves PENDING the
 * reconciler settles.
 */
export class BookingService {
  constructor(private readonly deps: BookingDeps) {}

  async book(req: BookRequest): Promise<BookingRow> {
    checkRequest(req.ticketIds, this.deps.settings.maxTicketsPerOrder);
    const hash = requestHash(req);
    const bookingId = randomUUID();
    let lease: Lease;
    try {
      // Lease first: a seat someone else holds is refused by Redis alone, so in an onsale the
      // many losers never queue for PostgreSQL behind the few winners.
      lease = await this.lease(req, bookingId);
    } catch (err) {
      const previous = this.mayBeRetry(err)
        ? await this.deps.bookings.findByKey(req.caller.userId, req.idempotencyKey)
        : undefined;
      if (previous) return replay(previous, hash);
      throw err;
    }
    let booked: BookingRow | undefined;
    try {
      booked = await this.underLease(req, bookingId, hash);
      return booked;
    } finally {
      await this.cleanUp(req, lease, booked?.id === bookingId ? booked : undefined);
    }
  }

  /** Takes the tickets' leases for this booking, or proves and renews the caller's hold. */
  private lease(req: BookRequest, bookingId: string): Promise<Lease> {
    const { leases, settings } = this.deps;
    return req.holdId
      ? leases.confirm(req.ticketIds, holdLeaseValue(req.holdId, req.caller.userId), settings.bookingLeaseMs)
      : leases.acquire(req.ticketIds, bookLeaseValue(bookingId, req.caller.userId), settings.bookingLeaseMs);
  }

  /**
   * Whether a refused lease may hide a retry of one of the caller's own bookings, which must get
   * the first answer: a hold is gone once its booking succeeded; a booking still in flight holds
   * its seats under the caller's name; and a sold seat can carry someone else's lease for the
   * moment their doomed attempt takes. So every refusal costs one read on the (user, key) index —
   * the losers still never wait for a lock or a write.
   */
  private mayBeRetry(err: unknown): boolean {
    if (!(err instanceof ConnectError)) return false;
    const reason = reasonOf(err);
    return reason === "SEAT_TAKEN" || reason === "HOLD_LOST";
  }

  private async underLease(req: BookRequest, id: string, hash: string): Promise<BookingRow> {
    const { bookings, clock } = this.deps;
    const card = describeCard(req.card.number);
    const opening = {
      id,
      userId: req.caller.userId,
      eventId: req.eventId,
      ticketIds: [...req.ticketIds],
      idempotencyKey: req.idempotencyKey,
      requestHash: hash,
      paymentProvider: this.deps.gateway.name,
      cardBrand: card.brand,
      cardLast4: card.last4,
      createdAt: clock.now(),
    };
    const { previous, tickets, opened } = await bookings.open(opening);
    if (previous) return replay(previous, hash);
    const rows = checkRows(req.eventId, req.ticketIds, tickets);
    const currency = rows[0]?.currency ?? "";
    if (rows.some((r) => r.currency !== currency)) {
      throw new ConnectError(
        "tickets priced in different currencies cannot be booked together",
        Code.InvalidArgument,
      );
    }
    if (!opened) {
      // The same key raced us to the insert: answer as its retry.
      const winner = await bookings.findByKey(req.caller.userId, req.idempotencyKey);
      if (winner) return replay(winner, hash);
      throw new Error(`booking ${id} was not opened although its tickets are bookable`);
    }
    const pending = { ...opening, totalCents: rows.reduce((sum, r) => sum + r.priceCents, 0), currency };
    await this.step("leased", id);
    const auth = await this.authorize(req, id, pending.totalCents, currency);
    await this.step("authorized", id);
    const sale = await this.sell(id, auth, rows);
    const done = { ...pending, paymentRef: auth.ref, failureReason: null, updatedAt: clock.now() };
    if (sale === "settled") return { ...done, status: "CONFIRMED" };
    await this.step("committed", id);
    // Sold and authorized: from here the sale stands, and whatever does not finish now the
    // reconciler finishes (the booking answers PENDING until then).
    try {
      await this.deps.gateway.capture(auth.ref);
    } catch (err) {
      this.deps.logger.warn(
        { bookingId: id, err: (err as Error).message },
        "capture failed; left to the reconciler",
      );
      return { ...done, status: "PENDING" };
    }
    await this.step("captured", id);
    try {
      // Not waited for on disk: see confirmLazily (the reconciler redoes it after a crash).
      await this.deps.confirmations.submit(id);
    } catch (err) {
      this.deps.logger.warn(
        { bookingId: id, err: (err as Error).message },
        "marking CONFIRMED failed; left to the reconciler",
      );
      return { ...done, status: "PENDING" };
    }
    return { ...done, status: "CONFIRMED" };
  }

  private async authorize(req: BookRequest, id: string, amountCents: number, currency: string) {
    const { gateway, bookings, clock, settings } = this.deps;
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new PaymentUnavailableError("timed out")),
      settings.paymentTimeoutMs,
    );
    const timedOut = new Promise<never>((_, reject) =>
      abort.signal.addEventListener("abort", () => reject(abort.signal.reason), { once: true }),
    );
    try {
      const request = { idempotencyKey: id, amountCents, currency, card: req.card };
      return await Promise.race([gateway.authorize(request, abort.signal), timedOut]);
    } catch (err) {
      if (err instanceof PaymentDeclinedError) {
        await bookings.fail(id, failure("PAYMENT_DECLINED", err.message), null, clock.now());
        throw paymentDeclined(err.message);
      }
      // Unknown outcome: void whatever may have been authorized under this key.
      this.deps.logger.warn({ bookingId: id, err: (err as Error).message }, "payment authorization failed");
      await this.voidAndFail(id, null, failure("PAYMENT_UNAVAILABLE", "the payment provider did not answer"));
      throw paymentUnavailable();
    } finally {
      clearTimeout(timer);
      // A ready-made reason: a bare abort() builds a DOMException (with a stack) on every booking.
      abort.abort(settledReason);
    }
  }

  /**
   * The fenced sale. "sold": this flow goes on to capture; "settled": the connection broke with the
   * statement sent, and settling from the data found it committed and captured it.
   */
  private async sell(id: string, auth: Authorization, rows: TicketRow[]): Promise<"sold" | "settled"> {
    const { tickets, clock } = this.deps;
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
    await this.voidAndFail(
      id,
      auth.ref,
      failure("SEAT_TAKEN", "one of these seats was just sold to someone else"),
    );
    if (sale.sellable.length === fenced.length) {
      // Every seat was still free, so the booking was no longer PENDING: the reconciler settled it.
      throw new ConnectError("this booking took too long and was cancelled; try again", Code.Aborted);
    }
    const sellable = new Set(sale.sellable);
    throw seatTaken(
      undefined,
      Object.fromEntries(fenced.filter((f) => !sellable.has(f.id)).map((f) => [f.id, null])),
    );
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

  /** Gives the lease back and updates the seat map; `booked` is what this attempt made, if anything. */
  private async cleanUp(req: BookRequest, lease: Lease, booked: BookingRow | undefined): Promise<void> {
    const { leases, index, logger } = this.deps;
    await leases.release(lease);
    const sold = booked && booked.status !== "FAILED";
    const update = sold
      ? index.sold(req.eventId, req.ticketIds, req.caller.userId, req.holdId)
      : req.holdId
        ? index.find(req.holdId).then((hold) => hold && index.forget(hold))
        : undefined;
    await update?.catch((err: unknown) =>
      logger.warn({ err: (err as Error).message }, "held index update failed"),
    );
  }

  private async step(step: BookingStep, bookingId: string): Promise<void> {
    await this.deps.onStep?.(step, bookingId);
  }
}

function replay(previous: BookingRow, hash: string): BookingRow {
  if (previous.requestHash !== hash) {
    throw reasonError(
      "this Idempotency-Key was already used for a different booking request",
      Code.InvalidArgument,
      "IDEMPOTENCY_KEY_REUSED",
    );
  }
  if (previous.status === "FAILED") throw replayedFailure(previous);
  if (previous.status === "PENDING") {
    throw new ConnectError(
      "a booking with this Idempotency-Key is still in progress; check again shortly",
      Code.Aborted,
    );
  }
  return previous;
}
