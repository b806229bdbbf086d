// Unit test of the waiting room's reconnect wait (no browser): it grows with the estimated wait,
// backs off while attempts keep failing, is capped, and spreads a crowd at random.
import { expect } from "chai";
import { maxReconnectMs, minReconnectMs, reconnectDelayMs } from "../src/queue/reconnect-delay.ts";

describe("storefront: the waiting room's reconnect wait", () => {
  const most = () => 1 - Number.EPSILON;
  const least = () => 0;

  it("grows with the estimated wait instead of being one fixed interval", () => {
    const at = (seconds: number | undefined) => reconnectDelayMs(seconds, 1, most);
    expect(at(undefined)).to.equal(minReconnectMs);
    expect(at(10)).to.equal(minReconnectMs); // near the front: back quickly
    // 5 % of the estimate: 3 s a minute from the front, 15 s five minutes back.
    expect(at(60)).to.equal(3_000);
    expect(at(5 * 60)).to.equal(15_000);
    expect(at(5 * 60)).to.be.above(at(60));
  });

  it("doubles while attempts keep failing, up to the cap, whatever the estimate", () => {
    expect(reconnectDelayMs(undefined, 2, most)).to.equal(2 * minReconnectMs);
    expect(reconnectDelayMs(undefined, 3, most)).to.equal(4 * minReconnectMs);
    expect(reconnectDelayMs(undefined, 20, most)).to.equal(maxReconnectMs);
    expect(reconnectDelayMs(10 * 3600, 1, most)).to.equal(maxReconnectMs);
  });

  it("spreads waiters dropped together over half to all of the wait", () => {
    expect(reconnectDelayMs(undefined, 1, least)).to.equal(minReconnectMs / 2);
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(60, 1)));
    expect(delays.size).to.be.above(10);
    for (const d of delays) expect(d).to.be.within(1_500, 3_000);
  });
});
