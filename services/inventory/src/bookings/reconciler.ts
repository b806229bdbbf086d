import type { Logger } from "#platform";
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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly deps: SettleDeps,
    private readonly settings: ReconcilerSettings,
    private readonly logger: Logger,
  ) {}

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

  start(): void {
    this.tick();
    if (this.settings.intervalMs > 0) {
      this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return; // a slow pass is not overlapped by the next
    this.running = this.runOnce()
      .catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, "reconciler pass failed"))
      .finally(() => {
        this.running = undefined;
      });
  }
}
