/**
 * At most `max` calls of `run` at once; the rest wait their turn, first come first served. A burst
 * (every waiter of a room asking for their drawn number at the opening second) then reaches the
 * service behind at the rate it answers, instead of all at once — which would stall its event
 * loop until its own Redis timeouts fire and turn the burst into errors.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`ConcurrencyLimit: max must be a positive integer, not ${max}`);
  }

  /** Calls in flight and calls waiting now. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((go) => this.waiting.push(go));
    else this.active++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter (active stays the same), or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
