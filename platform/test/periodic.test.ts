import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { Periodic } from "../src/periodic.ts";

describe("platform: Periodic", () => {
  it("never overlaps a slow pass with the next tick, and stop() waits for the pass in flight", async () => {
    let running = 0;
    let most = 0;
    let passes = 0;
    let finish: (() => void) | undefined;
    const loop = new Periodic(
      async () => {
        running++;
        most = Math.max(most, running);
        passes++;
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        running--;
      },
      5,
      () => {},
    );
    loop.start({ now: true });
    await sleep(50); // many ticks while the first pass hangs
    expect(passes).to.equal(1);
    const stopped = loop.stop();
    let done = false;
    void stopped.then(() => {
      done = true;
    });
    await sleep(10);
    expect(done).to.equal(false);
    finish?.();
    await stopped;
    expect(most).to.equal(1);
  });

  it("reports a failed pass and tries again on the next tick; 0 runs no timer", async () => {
    const errors: unknown[] = [];
    let passes = 0;
    const loop = new Periodic(
      async () => {
        passes++;
        throw new Error("boom");
      },
      5,
      (err) => errors.push(err),
    );
    loop.start();
    await sleep(60);
    await loop.stop();
    expect(passes).to.be.greaterThan(1);
    expect(errors.length).to.equal(passes);

    let idle = 0;
    const never = new Periodic(
      async () => void idle++,
      0,
      () => {},
    );
    never.start();
    await sleep(20);
    await never.stop();
    expect(idle).to.equal(0);
  });
});
