import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { type Caller, type Logger, type Orm, reasonError, toConnectError } from "#platform";
import type { Clock } from "../clock.ts";
import type { HeldIndex } from "../holds/held-index.ts";
import { checkRequest, checkRows, holdLeaseValue } from "../holds/hold-service.ts";
import type { Lease, LeaseStore } from "../holds/lease-store.ts";
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
  leases: LeaseStore;
  index: HeldIndex;
  gateway: PaymentGateway;
  clock: Clock;
  logger: Logger;
  settings: BookingSettings;
  onStep?: (step: BookingStep, bookingId: string) => Promise<void> | void;
}

class SaleRejected extends Error {
  constructor(
    readonly why: "seats" | "settled",
    readonly taken: string[] = [],
  ) {
    super(why);
  }
}

/**
 * Booking: lease (or prove the hold) → authorize → one transaction that flips every ticket
 * AVAILABLE → SOLD by version compare-and-set and records the payment on the PENDING booking,
 * committing only when every row changed → capture → CONFIRMED. The lease keeps honest buyers
 * apart; the version fence is what makes a late or paused holder harmless. Any failure voids
 * the authorization and releases the lease; what a crash leaves PENDING the reconciler settles.
 */
export class BookingService {
  constructor(private readonly deps: BookingDeps) {}

  async book(req: BookRequest): Promise<BookingRow> {
    const { bookings, leases, settings } = this.deps;
    const hash = requestHash(req);
    checkRequest(req.ticketIds, settings.maxTicketsPerOrder);
    // The idempotency lookup and the ticket read share one round trip.
    const start = await bookings.startingPoint(
      req.caller.userId,
      req.idempotencyKey,
      req.eventId,
      req.ticketIds,
    );
    if (start.previous) return replay(start.previous, hash);
    const rows = checkRows(req.eventId, req.ticketIds, start.tickets);
    const bookingId = randomUUID();
    const lease = req.holdId
      ? await leases.confirm(
          req.ticketIds,
          holdLeaseValue(req.holdId, req.caller.userId),
          settings.bookingLeaseMs,
        )
      : await leases.acquire(
          req.ticketIds,
          `book:${bookingId}:${req.caller.userId}`,
          settings.bookingLeaseMs,
        );
    let booked: BookingRow | undefined;
    try {
      booked = await this.underLease(req, bookingId, hash, rows);
      return booked;
    } finally {
      await this.cleanUp(req, lease, booked);
    }
  }

  private async underLease(
    req: BookRequest,
    id: string,
    hash: string,
    rows: TicketRow[],
  ): Promise<BookingRow> {
    const { bookings, clock } = this.deps;
    const currency = rows[0]?.currency ?? "";
    if (rows.some((r) => r.currency !== currency)) {
      throw new ConnectError(
        "tickets priced in different currencies cannot be booked together",
        Code.InvalidArgument,
      );
    }
    const card = describeCard(req.card.number);
    const pending = {
      id,
      userId: req.caller.userId,
      eventId: req.eventId,
      ticketIds: [...req.ticketIds],
      totalCents: rows.reduce((sum, r) => sum + r.priceCents, 0),
      currency,
      idempotencyKey: req.idempotencyKey,
      requestHash: hash,
      paymentProvider: this.deps.gateway.name,
      cardBrand: card.brand,
      cardLast4: card.last4,
      createdAt: clock.now(),
    };
    if (!(await bookings.insertPending(pending))) {
      // The same key raced us here: answer as its retry.
      const winner = await bookings.findByKey(req.caller.userId, req.idempotencyKey);
      if (winner) return replay(winner, hash);
    }
    await this.step("leased", id);
    const auth = await this.authorize(req, id, pending.totalCents, currency);
    await this.step("authorized", id);
    await this.sell(id, auth, rows);
    await this.step("committed", id);
    const done = { ...pending, paymentRef: auth.ref, failureReason: null, updatedAt: clock.now() };
    try {
      await this.deps.gateway.capture(auth.ref);
      await this.step("captured", id);
      // Not waited for on disk: see confirmLazily (the reconciler redoes it after a crash).
      await bookings.confirmLazily(id, clock.now());
      return { ...done, status: "CONFIRMED" };
    } catch (err) {
      // Sold and authorized: the sale stands and the reconciler finishes the capture.
      this.deps.logger.warn(
        { bookingId: id, err: (err as Error).message },
        "capture failed; left to the reconciler",
      );
      return { ...done, status: "PENDING" };
    }
  }

  private async authorize(req: BookRequest, id: string, amountCents: number, currency: string) {
    const { gateway, bookings, clock, settings } = this.deps;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), settings.paymentTimeoutMs);
    const timedOut = new Promise<never>((_, reject) =>
      abort.signal.addEventListener("abort", () => reject(new PaymentUnavailableError("timed out")), {
        once: true,
      }),
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
      abort.abort();
    }
  }

  private async sell(id: string, auth: Authorization, rows: TicketRow[]): Promise<void> {
    const { orm, tickets, clock } = this.deps;
    const fenced = rows.map((r) => ({ id: r.id, version: r.version }));
    // Everything inside the callback happens before COMMIT; an error after it returned came
    // from the commit itself, whose outcome is then unknown.
    let committing = false;
    try {
      await orm.em.fork().transactional(async (tx) => {
        const now = clock.now();
        // One statement flips the tickets and records the payment on the PENDING booking.
        const { sold, pending } = await tickets.sell(tx, id, fenced, auth.ref, now);
        if (sold.length !== fenced.length) {
          const changed = new Set(sold);
          throw new SaleRejected(
            "seats",
            fenced.filter((f) => !changed.has(f.id)).map((f) => f.id),
          );
        }
        if (!pending) throw new SaleRejected("settled");
        committing = true;
      });
    } catch (err) {
      if (err instanceof SaleRejected) {
        await this.voidAndFail(
          id,
          auth.ref,
          failure("SEAT_TAKEN", "one of these seats was just sold to someone else"),
        );
        throw err.why === "seats"
          ? seatTaken(undefined, Object.fromEntries(err.taken.map((t) => [t, null])))
          : new ConnectError("this booking took too long and was cancelled; try again", Code.Aborted);
      }
      if (committing) {
        // The commit may or may not have happened (connection lost mid-commit): settle from what
        // is durable if the database answers now, else the reconciler does it later.
        await settleBooking(this.deps, id).catch(() => undefined);
      } else {
        // Nothing was committed: void now; FAILED is recorded now or by the reconciler.
        await this.voidAndFail(id, auth.ref, failure("INCOMPLETE", "the database did not answer"));
      }
      throw toConnectError(err);
    }
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
