import { expect } from "chai";
import { ConcurrencyLimit } from "../src/index.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe("platform: ConcurrencyLimit", () => {
  it("runs at most max calls at once, the rest in arrival order, and answers each", async () => {
    const limit = new ConcurrencyLimit(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limit.run(async () => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          await tick();
          running--;
          return i * 2;
        }),
      ),
    );
    expect(answers).to.deep.equal(Array.from({ length: 10 }, (_, i) => i * 2));
    expect(most).to.equal(3);
    expect(started).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(limit.load).to.deep.equal({ active: 0, waiting: 0 });
  });

  it("passes a failure to its caller only and frees the slot", async () => {
    const limit = new ConcurrencyLimit(1);
    const results = await Promise.allSettled([
      limit.run(async () => {
        await tick();
        throw new Error("the queue did not answer");
      }),
      limit.run(async () => "next"),
    ]);
    expect(results[0]).to.include({ status: "rejected" });
    expect(results[1]).to.deep.equal({ status: "fulfilled", value: "next" });
    expect(limit.load).to.deep.equal({ active: 0, waiting: 0 });
  });

  it("refuses a limit that is not a positive integer", () => {
    expect(() => new ConcurrencyLimit(0)).to.throw(/positive integer/);
  });
});
