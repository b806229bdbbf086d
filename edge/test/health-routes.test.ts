// Readiness and liveness answer different questions: with every backend down the edge is not
// ready (HAProxy and Kubernetes stop sending it traffic) but it is alive (nobody restarts it); with
// some down it stays ready, degraded, since every edge shares them.
import { expect } from "chai";
import { serveForTest } from "#platform/testing";
import { type BareEdge, startBareEdge } from "./bare-edge.ts";

describe("edge: /healthz is readiness, /livez is liveness", function () {
  this.timeout(30_000);
  let edge: BareEdge;
  before(async () => {
    edge = await startBareEdge("edge_health");
  });
  after(() => edge.close());

  it("is not ready while its backends are down, and names them", async () => {
    const res = await fetch(`${edge.url}/healthz`);
    expect(res.status).to.equal(503);
    expect(await res.json()).to.deep.equal({
      status: "unavailable",
      services: {
        catalog: "not serving",
        search: "not serving",
        inventory: "not serving",
        queue: "not serving",
      },
    });
  });

  it("stays ready but says degraded while only the queue service is down, and names it", async () => {
    // One server answering SERVING stands in for catalog, search and inventory.
    const up = await serveForTest("test", {
      serviceNames: [],
      routes: () => {},
    });
    const { url } = up;
    const partial = await startBareEdge("edge_health_queue", {
      CATALOG_SERVICE_ADDR: url,
      SEARCH_SERVICE_ADDR: url,
      INVENTORY_SERVICE_ADDR: url,
      QUEUE_SERVICE_ADDR: "http://127.0.0.1:1",
    });
    try {
      const res = await fetch(`${partial.url}/healthz`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({
        status: "degraded",
        services: { catalog: "serving", search: "serving", inventory: "serving", queue: "not serving" },
      });
      // And the pages that need no queue are still served by it.
      expect((await fetch(`${partial.url}/livez`)).status).to.equal(200);
    } finally {
      await partial.close();
      await up.close();
    }
  });

  it("is alive all the same, without asking any backend", async () => {
    const res = await fetch(`${edge.url}/livez`, { headers: { accept: "text/html" } });
    expect(res.status).to.equal(200);
    expect(res.headers.get("cache-control")).to.equal("no-store");
    expect(await res.json()).to.deep.equal({ status: "ok" });
  });
});
