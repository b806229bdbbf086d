import type { Logger, SqlPools } from "#platform";
import type { Clock } from "../clock.ts";
import { type PaymentGateway, PaymentStateError } from "../payments/payment-gateway.ts";
import type { TicketRepository } from "../tickets/ticket-repository.ts";
import type { BookingRepository } from "./booking-repository.ts";

export type Settlement = "captured" | "voided" | "already-settled" | "review";

export interface SettleDeps {
  db: SqlPools;
  tickets: TicketRepository;
  bookings: BookingRepository;
  gateway: PaymentGateway;
  clock: Clock;
  logger: Logger;
}

/**
 * Finishes one PENDING booking from what is durable. The tickets' `booking_id` says whether the
 * sale transaction committed: if it did, the payment is captured and the booking CONFIRMED; if
 * not, the authorization (found by the booking id, its idempotency key, when the reference was
 * never recorded) is voided and the booking FAILED. When the provider refuses the step for good
 * (an authorization that expired before its capture, a payment voided or captured elsewhere) no
 * retry can help: the booking is marked NEEDS_REVIEW for an operator. The booking row stays
 * locked throughout, so a sale transaction still in flight either commits first (and is seen) or
 * finds the booking settled and rolls back. Gateway calls are idempotent: a crash anywhere here is
 * safe to repeat.
 */
export async function settleBooking(deps: SettleDeps, bookingId: string): Promise<Settlement> {
  return deps.db.transaction(async (tx) => {
    const booking = await deps.bookings.lockPending(bookingId, { tx });
    if (!booking) return "already-settled";
    const now = deps.clock.now();
    const committed = (await deps.tickets.countSoldTo(bookingId, { tx })) > 0;
    const ref = booking.paymentRef ?? (await deps.gateway.findAuthorization(bookingId)) ?? null;
    const review = async (reason: string): Promise<Settlement> => {
      await deps.bookings.markForReview(bookingId, reason, now, { tx });
      deps.logger.error({ bookingId, paymentRef: ref, reason }, "booking needs review");
      return "review";
    };
    try {
      if (committed && ref) {
        await deps.gateway.capture(ref);
        await deps.bookings.confirm(bookingId, now, { tx });
        deps.logger.info({ bookingId }, "reconciled: committed booking captured");
        return "captured";
      }
      // The sale records its payment reference in the same transaction, so this cannot happen:
      // someone must look rather than guess.
      if (committed) return await review("sold without a payment reference");
      if (ref) await deps.gateway.void(ref);
    } catch (err) {
      if (!(err instanceof PaymentStateError)) throw err;
      const step = committed ? "sold, but the capture" : "not sold, but the void";
      return await review(`${step} was refused: the payment is ${err.state}`);
    }
    await deps.bookings.fail(bookingId, "INCOMPLETE: not completed; any authorization was voided", ref, now, {
      tx,
    });
    deps.logger.info({ bookingId, hadAuthorization: ref !== null }, "reconciled: incomplete booking voided");
    return "voided";
  });
}
