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
export interface BatcherOptions {
  isolateFailures?: boolean;
  gatherTurn?: boolean;
  /** Called when the last batch is answered and nothing waits. */
  onIdle?: () => void;
}

export class Batcher<In, Out> {
  private readonly waiting: { item: In; done: (out: Out) => void; failed: (err: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (items: In[]) => Promise<Out[]>,
    /** Most items per batch. */
    private readonly maxBatch = 256,
    private readonly options: BatcherOptions = {},
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
    this.options.onIdle?.();
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

/**
 * A Batcher per key (an event, say): a batch never mixes keys. Each is made on first use and
 * dropped when it falls idle, so keys that come and go leave nothing behind.
 */
export class KeyedBatcher<K, In, Out> {
  private readonly batchers = new Map<K, Batcher<In, Out>>();

  constructor(
    private readonly run: (key: K, items: In[]) => Promise<Out[]>,
    private readonly maxBatch = 256,
    private readonly options: Omit<BatcherOptions, "onIdle"> = {},
  ) {}

  submit(key: K, item: In): Promise<Out> {
    let batcher = this.batchers.get(key);
    if (!batcher) {
      batcher = new Batcher((items) => this.run(key, items), this.maxBatch, {
        ...this.options,
        onIdle: () => this.batchers.delete(key),
      });
      this.batchers.set(key, batcher);
    }
    return batcher.submit(item);
  }

  /** Keys with a batch running or waiting. */
  get size(): number {
    return this.batchers.size;
  }
}
