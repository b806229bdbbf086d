/**
 * A background pass run every `intervalMs` (0: never on a timer), that never overlaps itself: a
 * tick that finds the previous pass still running is skipped. A failed pass is reported to
 * `onError` and the next tick tries again; the timer never holds the process open.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Starts the timer; `{ now: true }` also runs a pass at once. */
  start(options: { now?: boolean } = {}): void {
    if (options.now) this.tick();
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.pass()
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
      });
  }
}
