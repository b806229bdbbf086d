import { expect } from "chai";
import { Batcher, KeyedBatcher } from "../src/index.ts";

describe("platform: Batcher", () => {
  it("runs the first call at once, alone, and the calls that arrive meanwhile together, answering each in order", async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((n) => n * 10);
    });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(answers).to.deep.equal([10, 20, 30, 40]);
    expect(batches).to.deep.equal([[1], [2, 3, 4]]);
    expect(await batcher.submit(5)).to.equal(50); // idle again: goes out alone
    expect(batches.at(-1)).to.deep.equal([5]);
  });

  it("fails every caller of a failed batch, keeps going with the next, and caps a batch's size", async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string, string>(async (items) => {
      batches.push(items);
      if (items.includes("bad")) throw new Error("statement failed");
      return items;
    }, 2);
    const results = await Promise.allSettled(["first", "bad", "x", "y", "z"].map((s) => batcher.submit(s)));
    expect(results.map((r) => r.status)).to.deep.equal([
      "fulfilled",
      "rejected",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(batches).to.deep.equal([["first"], ["bad", "x"], ["y", "z"]]);
  });

  it("with isolateFailures, runs a failed batch's items again one by one: only the bad one fails", async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string, string>(
      async (items) => {
        batches.push(items);
        if (items.includes("bad")) throw new Error("statement failed");
        return items.map((s) => s.toUpperCase());
      },
      256,
      { isolateFailures: true },
    );
    const results = await Promise.allSettled(["first", "x", "bad", "y"].map((s) => batcher.submit(s)));
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "failed"))).to.deep.equal([
      "FIRST",
      "X",
      "failed",
      "Y",
    ]);
    expect(batches).to.deep.equal([["first"], ["x", "bad", "y"], ["x"], ["bad"], ["y"]]);
  });

  it("with gatherTurn, sends the calls of one event-loop turn together, then batches as before", async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return items.map((n) => n + 1);
      },
      256,
      { gatherTurn: true },
    );
    const first = [1, 2, 3].map((n) => batcher.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [4, 5].map((n) => batcher.submit(n)); // while the first batch runs
    expect(await Promise.all([...first, ...later])).to.deep.equal([2, 3, 4, 5, 6]);
    expect(batches).to.deep.equal([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("KeyedBatcher: a batch never mixes keys, each key batches on its own, and an idle key is dropped", async () => {
    const batches: string[] = [];
    const keyed = new KeyedBatcher<string, number, string>(async (key, items) => {
      batches.push(`${key}:${items.join(",")}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((n) => `${key}${n}`);
    });
    const answers = await Promise.all([
      keyed.submit("a", 1),
      keyed.submit("b", 1),
      keyed.submit("a", 2),
      keyed.submit("b", 2),
      keyed.submit("a", 3),
    ]);
    expect(answers).to.deep.equal(["a1", "b1", "a2", "b2", "a3"]);
    expect(batches).to.deep.equal(["a:1", "b:1", "a:2,3", "b:2"]);
    expect(keyed.size).to.equal(0);
  });
});
