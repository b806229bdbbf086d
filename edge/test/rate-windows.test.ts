import { expect } from "chai";
import { createRedis } from "#platform";
import { createTestRedisPrefix, monitorPrefix, testRedisUrl } from "#platform/testing";
import { RateWindows } from "../src/http/rate-windows.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Script calls (EVALSHA/EVAL) naming a key under `prefix` that Redis executes while `work` runs. */
async function scriptCalls(prefix: string, work: () => Promise<unknown>): Promise<number> {
  const { byCommand } = await monitorPrefix(testRedisUrl, prefix, work);
  return (byCommand.evalsha ?? 0) + (byCommand.eval ?? 0);
}

describe("edge/http: fixed-window rate counters in Redis", () => {
  const prefix = createTestRedisPrefix("rate_windows");
  const redis = createRedis(testRedisUrl, { keyPrefix: prefix.prefix });
  after(async () => {
    redis.disconnect();
    await prefix.clear();
  });

  it("counts each key in its window, and the counts of one turn go to Redis in one script call", async () => {
    const windows = new RateWindows(redis, 60_000);
    await windows.count("warm"); // loads the script
    let answers: Awaited<ReturnType<RateWindows["count"]>>[] = [];
    const calls = await scriptCalls(prefix.prefix, async () => {
      answers = await Promise.all([
        ...Array.from({ length: 50 }, () => windows.count("same")),
        ...Array.from({ length: 100 }, (_, i) => windows.count(`key-${i}`)),
      ]);
    });
    expect(calls).to.equal(1);
    expect(answers.slice(0, 50).map((a) => a.count)).to.deep.equal(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(answers.slice(50).every((a) => a.count === 1 && a.ttlMs === 60_000)).to.equal(true);
    expect(answers[49]?.ttlMs).to.be.within(59_000, 60_000);
  });

  it("starts a new window once the old one ends", async () => {
    const windows = new RateWindows(redis, 300);
    expect((await windows.count("short")).count).to.equal(1);
    expect((await windows.count("short")).count).to.equal(2);
    await sleep(400);
    expect(await windows.count("short")).to.deep.equal({ count: 1, ttlMs: 300 });
  });

  it("fails the count, not the process, when Redis cannot be reached", async () => {
    const down = createRedis("redis://127.0.0.1:1", { keyPrefix: prefix.prefix });
    down.on("error", () => undefined);
    try {
      const windows = new RateWindows(down, 60_000);
      const outcome = await windows.count("x").then(
        () => "counted",
        () => "failed",
      );
      expect(outcome).to.equal("failed");
    } finally {
      down.disconnect();
    }
  });
});
