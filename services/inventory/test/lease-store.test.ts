import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { Redlock } from "../src/holds/redlock-module.ts";
import { createInventoryFixture, type InventoryFixture } from "./fixture.ts";

// lease-store.ts sets the lease value through Redlock's private _random (the library has no option
// for it). These pin that behaviour: an upgrade that changes it fails here, loudly.
describe("inventory: lease values on redlock 5.0.0-beta.2 (pinned)", () => {
  let fx: InventoryFixture;
  before(async () => {
    fx = await createInventoryFixture("lease_store");
  });
  after(async () => {
    await fx?.close();
  });

  it("is the exact redlock version whose acquire() draws its value from _random()", () => {
    const path = join(import.meta.dirname, "../../../node_modules/redlock/package.json");
    const manifest = JSON.parse(readFileSync(path, "utf8")) as {
      version: string;
    };
    expect(manifest.version).to.equal("v5.0.0-beta.2");
    expect(typeof (Redlock.prototype as unknown as { _random: unknown })._random).to.equal("function");
    expect(Redlock.prototype.acquire.toString()).to.include("this._random()");
  });

  it("stores the value we give at every master and returns a lease carrying it", async () => {
    const ticketIds = [randomUUID(), randomUUID()];
    const value = `hold:${randomUUID()}:someone`;
    const lease = await fx.inventory.leases.acquire(ticketIds, value, 5_000);
    try {
      expect(lease.value).to.equal(value);
      const [master] = fx.lockClients;
      const stored = await master?.mget(...fx.inventory.leases.keys(ticketIds));
      expect(stored).to.deep.equal([value, value]);
    } finally {
      await fx.inventory.leases.release(lease);
    }
  });

  it("leaves the shared Redlock drawing random values of its own", async () => {
    const lock = await fx.inventory.redlock.acquire([`${fx.prefix}pin:${randomUUID()}`], 1_000);
    try {
      expect(lock.value).to.match(/^[0-9a-f]{32}$/);
    } finally {
      await fx.inventory.redlock.release(lock);
    }
  });
});
