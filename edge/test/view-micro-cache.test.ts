import { expect } from "chai";
import { MicroCache } from "../src/cache/micro-cache.ts";

describe("edge: micro-cache", () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  function counted<V>(values: V[]) {
    const state = { calls: 0, release: [] as (() => void)[] };
    const load = () => {
      const value = values[Math.min(state.calls, values.length - 1)] as V;
      state.calls++;
      return new Promise<V>((resolve) => state.release.push(() => resolve(value)));
    };
    const releaseAll = () => {
      for (const r of state.release.splice(0)) r();
    };
    return { state, load, releaseAll };
  }

  it("coalesces concurrent misses into one load and serves the value for the window", async () => {
    const cache = new MicroCache<string>({ ttlMs: 1000, now: clock });
    const { state, load, releaseAll } = counted(["v1", "v2"]);
    const all = Promise.all(Array.from({ length: 1000 }, () => cache.get("k", load)));
    releaseAll();
    expect(new Set(await all)).to.deep.equal(new Set(["v1"]));
    expect(state.calls).to.equal(1);
    now += 500;
    expect(cache.peek("k")).to.equal("v1");
    now += 600;
    expect(cache.peek("k")).to.equal(undefined);
  });

  it("refreshes a key still in demand ahead of expiry, serving the old value meanwhile", async () => {
    const cache = new MicroCache<string>({ ttlMs: 1000, now: clock });
    const { state, load, releaseAll } = counted(["v1", "v2"]);
    const first = cache.get("k", load);
    releaseAll();
    await first;
    now += 800; // past 75 % of the window
    expect(cache.peek("k")).to.equal("v1");
    expect(cache.peek("k")).to.equal("v1");
    expect(state.calls).to.equal(2); // one background refresh, not one per request
    releaseAll();
    await new Promise((r) => setImmediate(r));
    expect(cache.peek("k")).to.equal("v2");
    now += 900;
    expect(cache.peek("k")).to.equal("v2"); // the refreshed value has a window of its own
  });

  it("never serves a value past its window, even while a refresh is slow", async () => {
    const cache = new MicroCache<string>({ ttlMs: 1000, now: clock });
    const { load, releaseAll } = counted(["v1", "v2"]);
    const first = cache.get("k", load);
    releaseAll();
    await first;
    now += 800;
    cache.peek("k"); // starts the refresh, which does not finish in time
    now += 300;
    expect(cache.peek("k")).to.equal(undefined);
    const waiting = cache.get("k", load); // joins the refresh in flight
    releaseAll();
    expect(await waiting).to.equal("v2");
  });

  it("remembers only the errors it is told to, and only for the window", async () => {
    const cache = new MicroCache<string>({ ttlMs: 1000, now: clock, cacheError: (e) => e === "gone" });
    let calls = 0;
    const failing = (error: string) => () => {
      calls++;
      return Promise.reject(error);
    };
    for (let i = 0; i < 3; i++) await cache.get("a", failing("gone")).catch(() => {});
    expect(calls).to.equal(1);
    for (let i = 0; i < 3; i++) await cache.get("b", failing("flaky")).catch(() => {});
    expect(calls).to.equal(4);
    now += 1001;
    await cache.get("a", failing("gone")).catch(() => {});
    expect(calls).to.equal(5);
  });

  it("drops the oldest keys beyond maxEntries, and does nothing at all when the window is 0", async () => {
    const bounded = new MicroCache<number>({ ttlMs: 1000, maxEntries: 2, now: clock });
    for (const [i, key] of ["a", "b", "c"].entries()) await bounded.get(key, async () => i);
    expect([bounded.peek("a"), bounded.peek("b"), bounded.peek("c")]).to.deep.equal([undefined, 1, 2]);
    const off = new MicroCache<number>({ ttlMs: 0, now: clock });
    let calls = 0;
    await Promise.all([off.get("k", async () => ++calls), off.get("k", async () => ++calls)]);
    expect(calls).to.equal(2);
    expect(off.peek("k")).to.equal(undefined);
  });
  it("coalesces with a window of 0: concurrent gets share one load, nothing is kept after it settles", async () => {
    const cache = new MicroCache<string>({ ttlMs: 0, coalesce: true, now: clock });
    expect(cache.enabled).to.equal(false);
    expect(cache.coalescing).to.equal(true);
    const { state, load, releaseAll } = counted(["v1", "v2"]);
    const all = Promise.all(Array.from({ length: 100 }, () => cache.get("k", load)));
    expect(state.calls).to.equal(1);
    releaseAll();
    expect(new Set(await all)).to.deep.equal(new Set(["v1"]));
    expect(cache.peek("k")).to.equal(undefined);
    expect(cache.size).to.equal(0);
    // A get after the load settled starts a new one, at the same instant on the clock.
    const next = cache.get("k", load);
    expect(state.calls).to.equal(2);
    releaseAll();
    expect(await next).to.equal("v2");
  });

  it("shares a failing load with its concurrent callers but does not remember it with a window of 0", async () => {
    const cache = new MicroCache<string>({ ttlMs: 0, coalesce: true, cacheError: () => true, now: clock });
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error("gone"));
    };
    const results = await Promise.allSettled([cache.get("k", failing), cache.get("k", failing)]);
    expect(results.map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
    expect(calls).to.equal(1);
    await cache.get("k", failing).catch(() => {});
    expect(calls).to.equal(2);
  });

  it("turns coalescing off on its own: each concurrent miss loads, values are still stored", async () => {
    const cache = new MicroCache<string>({ ttlMs: 1000, coalesce: false, now: clock });
    const { state, load, releaseAll } = counted(["v1", "v2", "v3"]);
    const all = Promise.all([cache.get("k", load), cache.get("k", load), cache.get("k", load)]);
    expect(state.calls).to.equal(3);
    releaseAll();
    await all;
    expect(cache.peek("k")).to.be.a("string");
    const off = new MicroCache<string>({ ttlMs: 0, coalesce: false, now: clock });
    const second = counted(["a", "b"]);
    const both = Promise.all([off.get("k", second.load), off.get("k", second.load)]);
    expect(second.state.calls).to.equal(2);
    second.releaseAll();
    expect(await both).to.deep.equal(["a", "b"]);
  });
});
