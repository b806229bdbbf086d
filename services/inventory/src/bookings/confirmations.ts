import type { Logger } from "#platform";
import type { Clock } from "../clock.ts";
import type { BookingRepository } from "./booking-repository.ts";

interface Waiting {
  id: string;
  done: () => void;
  failed: (err: unknown) => void;
}

/**
 * The booking flow's last write, grouped: while one CONFIRMED update is in flight, the bookings
 * captured meanwhile wait and then go together in the next one. Under load that is one
 * statement for many bookings instead of one each; when idle, a booking's update goes at once.
 * Each update is the lazily-committed one of `BookingRepository.confirmLazily`.
 */
export class Confirmations {
  private waiting: Waiting[] = [];
  private inFlight = false;

  constructor(
    private readonly bookings: BookingRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Most bookings per statement. */
    private readonly maxBatch = 256,
  ) {}

  confirm(id: string): Promise<void> {
    return new Promise((done, failed) => {
      this.waiting.push({ id, done, failed });
      if (!this.inFlight) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.inFlight = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        await this.bookings.confirmLazily(
          batch.map((w) => w.id),
          this.clock.now(),
        );
        for (const w of batch) w.done();
      } catch (err) {
        this.logger.warn({ err: (err as Error).message, bookings: batch.length }, "confirming failed");
        for (const w of batch) w.failed(err);
      }
    }
    this.inFlight = false;
  }
}
