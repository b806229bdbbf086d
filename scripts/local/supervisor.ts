// Keeps the local stack's processes running: a child that dies without being asked to is started
// again after a backoff that doubles with each quick crash (a crash loop must not spin the CPU),
// and every death and restart is reported on the console.
import type { Child } from "./processes.ts";
import { stopChildren } from "./processes.ts";

export interface SupervisorOptions {
  /** First restart delay; doubled per consecutive crash up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that stayed up this long counts as healthy again: its next crash restarts quickly. */
  stableMs?: number;
}

interface Slot {
  name: string;
  start: () => Child;
  child: Child;
  startedAt: number;
  crashes: number;
  timer?: NodeJS.Timeout;
}

export class Supervisor {
  private readonly slots: Slot[] = [];
  private stopping = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly stableMs: number;

  constructor(
    private readonly say: (line: string) => void,
    options: SupervisorOptions = {},
  ) {
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.stableMs = options.stableMs ?? 30_000;
  }

  /** Starts a child with `start` and restarts it the same way whenever it dies unasked. */
  add(name: string, start: () => Child): Child {
    const slot: Slot = { name, start, child: start(), startedAt: Date.now(), crashes: 0 };
    this.slots.push(slot);
    this.watch(slot);
    return slot.child;
  }

  /** The processes running now (a restarted child replaces its predecessor). */
  children(): Child[] {
    return this.slots.map((s) => s.child);
  }

  /** No more restarts; SIGTERM every child and wait for them (SIGKILL after the grace period). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) clearTimeout(slot.timer);
    await stopChildren(this.children());
  }

  private watch(slot: Slot): void {
    slot.child.process.once("exit", (code, signal) => {
      if (this.stopping) return;
      if (Date.now() - slot.startedAt >= this.stableMs) slot.crashes = 0;
      const delay = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** slot.crashes);
      slot.crashes += 1;
      const how = signal ?? `exit ${code}`;
      const tail = slot.child.tail.length > 0 ? `; last output:\n  ${slot.child.tail.join("\n  ")}` : "";
      this.say(`${slot.name} stopped unexpectedly (${how}); restarting in ${delay} ms${tail}`);
      slot.timer = setTimeout(() => {
        if (this.stopping) return;
        slot.child = slot.start();
        slot.startedAt = Date.now();
        this.say(`${slot.name} restarted (pid ${slot.child.process.pid}, restart ${slot.crashes})`);
        this.watch(slot);
      }, delay);
    });
  }
}
