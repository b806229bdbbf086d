// Readiness and liveness answer different questions: with every backend down the edge is not
// ready (HAProxy and Kubernetes stop sending it traffic) but it is alive (nobody restarts it).
import { expect } from "chai";
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
      services: { catalog: "not serving", search: "not serving", inventory: "not serving" },
    });
  });

  it("is alive all the same, without asking any backend", async () => {
    const res = await fetch(`${edge.url}/livez`, { headers: { accept: "text/html" } });
    expect(res.status).to.equal(200);
    expect(res.headers.get("cache-control")).to.equal("no-store");
    expect(await res.json()).to.deep.equal({ status: "ok" });
  });
});
