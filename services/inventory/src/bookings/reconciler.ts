import { type Logger, Periodic } from "#platform";
import { type SettleDeps, type Settlement, settleBooking } from "./settle.ts";

export interface ReconcilerSettings {
  /** PENDING bookings older than this are settled; younger ones may still be in flight. */
  olderThanMs: number;
  /**
   * A PENDING booking still unsettled (its passes keep failing) this long after it was made is
   * marked NEEDS_REVIEW and left to an operator: the reconciler never retries anything for ever.
   */
  giveUpAfterMs: number;
  /** 0 runs only when start() is called. */
  intervalMs: number;
  batchSize?: number;
}

export type Outcome = Settlement | "error" | "orphan-voided";

/**
 * Crash safety: settles PENDING bookings a crashed or cut-off booking left behind, at start and
 * then periodically, and voids open authorizations the provider lists whose booking ended without
 * them (or never began). Several replicas may run it at once: each booking is settled under its
 * row lock and every step is conditional, so the second one finds nothing to do.
 */
export class Reconciler {
  private readonly loop: Periodic;

  constructor(
    private readonly deps: SettleDeps,
    private readonly settings: ReconcilerSettings,
    private readonly logger: Logger,
  ) {
    this.loop = new Periodic(
      () => this.runOnce(),
      settings.intervalMs,
      (err: unknown) => logger.warn({ err: (err as Error).message }, "reconciler pass failed"),
    );
  }

  /** One pass; returns what happened to each booking (by id) it looked at. */
  async runOnce(): Promise<Record<string, Outcome>> {
    const now = this.deps.clock.now().getTime();
    const limit = this.settings.batchSize ?? 100;
    const cutoff = new Date(now - this.settings.olderThanMs);
    const ids = await this.deps.bookings.pendingBefore(cutoff, limit);
    const overdue = new Set(
      ids.length > 0
        ? await this.deps.bookings.pendingBefore(new Date(now - this.settings.giveUpAfterMs), limit)
        : [],
    );
    const outcome: Record<string, Outcome> = {};
    for (const id of ids) outcome[id] = await this.settle(id, overdue.has(id));
    for (const [id, result] of Object.entries(await this.orphans(cutoff, limit))) outcome[id] ??= result;
    return outcome;
  }

  private async settle(id: string, overdue: boolean): Promise<Outcome> {
    try {
      return await settleBooking(this.deps, id);
    } catch (err) {
      const message = (err as Error).message;
      if (!overdue) {
        this.logger.warn({ bookingId: id, err: message }, "reconciling a booking failed; will retry");
        return "error";
      }
      const reason = `not settled after ${Math.round(this.settings.giveUpAfterMs / 1000)} s: ${message}`;
      const marked = await this.deps.bookings
        .markForReview(id, reason, this.deps.clock.now())
        .catch(() => false);
      this.logger.error({ bookingId: id, reason, marked }, "booking needs review: the reconciler gave up");
      return marked ? "review" : "error";
    }
  }

  /**
   * Open authorizations older than the threshold whose booking is FAILED or missing: the
   * provider's own list covers a void that was lost with its process. PENDING ones are the
   * booking pass's; CONFIRMED or NEEDS_REVIEW ones are left alone.
   */
  private async orphans(cutoff: Date, limit: number): Promise<Record<string, Outcome>> {
    const outcome: Record<string, Outcome> = {};
    const open = await this.deps.gateway.listUncaptured(cutoff, limit).catch((err: unknown) => {
      this.logger.warn({ err: (err as Error).message }, "listing open authorizations failed; will retry");
      return [];
    });
    for (const auth of open) {
      const booking = await this.deps.bookings.findById(auth.idempotencyKey).catch(() => undefined);
      if (booking && booking.status !== "FAILED") continue;
      try {
        await this.deps.gateway.void(auth.ref);
        this.logger.warn(
          { bookingId: auth.idempotencyKey, paymentRef: auth.ref },
          "voided an orphan authorization",
        );
        outcome[auth.idempotencyKey] = "orphan-voided";
      } catch (err) {
        this.logger.warn({ paymentRef: auth.ref, err: (err as Error).message }, "voiding an orphan failed");
      }
    }
    return outcome;
  }

  /** A pass at once, then every `intervalMs`. */
  start(): void {
    this.loop.start({ now: true });
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
