/**
 * Groups concurrent calls: while one batch runs, the calls that arrive wait and then go together
 * in the next. Under load that is one round trip for many callers; when idle, a call goes out at
 * once, alone. `run` answers each item of a batch in order; when it throws, every caller of that
 * batch gets the error — or, with `isolateFailures`, each item of the failed batch is run again
 * alone, so one bad item fails only its own caller (for idempotent runs only: the failed batch
 * may have taken effect, e.g. a connection that broke after the commit). With `gatherTurn`, an
 * idle batcher waits for the end of the current event-loop turn (setImmediate) before it sends:
 * the calls made while this turn's I/O callbacks run — under load, many requests' answers arrive
 * in one read and each makes its next call — go out together instead of the first one alone.
 */
export class Batcher<In, Out> {
  private readonly waiting: { item: In; done: (out: Out) => void; failed: (err: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (items: In[]) => Promise<Out[]>,
    /** Most items per batch. */
    private readonly maxBatch = 256,
    private readonly options: { isolateFailures?: boolean; gatherTurn?: boolean } = {},
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise((done, failed) => {
      this.waiting.push({ item, done, failed });
      if (this.running) return;
      this.running = true;
      if (this.options.gatherTurn) setImmediate(() => void this.drain());
      else void this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const outs = await this.run(batch.map((w) => w.item));
        for (const [i, w] of batch.entries()) w.done(outs[i] as Out);
      } catch (err) {
        if (this.options.isolateFailures && batch.length > 1)
          await Promise.all(batch.map((w) => this.alone(w)));
        else for (const w of batch) w.failed(err);
      }
    }
    this.running = false;
  }

  private async alone(w: { item: In; done: (out: Out) => void; failed: (err: unknown) => void }) {
    try {
      const [out] = await this.run([w.item]);
      w.done(out as Out);
    } catch (err) {
      w.failed(err);
    }
  }
}
