// Progress output for long work: a redrawn bar on a terminal, a line per 10 % elsewhere (CI logs).

export class Progress {
  private done = 0;
  private lastDecile = -1;
  private lastDraw = 0;
  private readonly started = performance.now();
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  add(n: number): void {
    this.done += n;
    const now = performance.now();
    const decile = Math.floor((this.done / Math.max(this.total, 1)) * 10);
    if (this.tty && now - this.lastDraw > 100) {
      this.lastDraw = now;
      process.stderr.write(`\r${this.line()}`);
    } else if (!this.tty && decile !== this.lastDecile) {
      this.lastDecile = decile;
      process.stderr.write(`${this.line()}\n`);
    }
  }

  finish(): void {
    const seconds = (performance.now() - this.started) / 1000;
    process.stderr.write(`${this.tty ? "\r" : ""}${this.line()} in ${seconds.toFixed(1)} s\n`);
  }

  private line(): string {
    const ratio = Math.min(this.done / Math.max(this.total, 1), 1);
    const width = 24;
    const filled = Math.round(ratio * width);
    const rate = this.done / Math.max((performance.now() - this.started) / 1000, 0.001);
    return `${this.label.padEnd(12)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${this.done.toLocaleString("en-US")}/${this.total.toLocaleString("en-US")} (${Math.round(rate).toLocaleString("en-US")}/s)`;
  }
}
