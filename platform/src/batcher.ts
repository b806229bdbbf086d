/**
 * Groups concurrent calls: while one batch runs, the calls that arrive wait and then go together
 * in the next. Under load that is one round trip for many callers; when idle, a call goes out at
 * once, alone. `run` answers each item of a batch in order; when it throws, every caller of that
 * batch gets the error.
 */
export class Batcher<In, Out> {
  private readonly waiting: { item: In; done: (out: Out) => void; failed: (err: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (items: In[]) => Promise<Out[]>,
    /** Most items per batch. */
    private readonly maxBatch = 256,
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise((done, failed) => {
      this.waiting.push({ item, done, failed });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const outs = await this.run(batch.map((w) => w.item));
        for (const [i, w] of batch.entries()) w.done(outs[i] as Out);
      } catch (err) {
        for (const w of batch) w.failed(err);
      }
    }
    this.running = false;
  }
}
