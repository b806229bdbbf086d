import { type Logger, Periodic } from "#platform";
import { type SettleDeps, type Settlement, settleBooking } from "./settle.ts";

export interface ReconcilerSettings {
  /** PENDING bookings older than this are settled; younger ones may still be in flight. */
  olderThanMs: number;
  /** 0 runs only when start() is called. */
  intervalMs: number;
  batchSize?: number;
}

/**
 * Crash safety: settles PENDING bookings a crashed or cut-off booking left behind, at start and
 * then periodically. Several replicas may run it at once: each booking is settled under its row
 * lock and every step is conditional, so the second one finds nothing to do.
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

  /** One pass; returns what happened to each booking it looked at. */
  async runOnce(): Promise<Record<string, Settlement | "error">> {
    const cutoff = new Date(this.deps.clock.now().getTime() - this.settings.olderThanMs);
    const ids = await this.deps.bookings.pendingBefore(cutoff, this.settings.batchSize ?? 100);
    const outcome: Record<string, Settlement | "error"> = {};
    for (const id of ids) {
      try {
        outcome[id] = await settleBooking(this.deps, id);
      } catch (err) {
        outcome[id] = "error";
        this.logger.error(
          { bookingId: id, err: (err as Error).message },
          "reconciling a booking failed; will retry",
        );
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
