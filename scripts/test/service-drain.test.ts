// Each service's shutdown drain is its own setting (<NAME>_DRAIN_MS, like the edge's
// EDGE_DRAIN_MS): parsed at start-up, a bad value stops the process with one line naming it, and
// the value given is the one the server waits for calls in flight.
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { expect } from "chai";
import { Health } from "#gen/grpc/health/v1/health_pb.js";
import { testIdentityEnv } from "#platform/testing";
import { startTestStack } from "../local/stack.ts";
import { runScript } from "./run-script.ts";

const services = ["catalog", "search", "inventory", "queue"] as const;
const drainVar = (name: string) => `${name.toUpperCase()}_DRAIN_MS`;

describe("services: the shutdown drain is a setting of each service", function () {
  this.timeout(60_000);

  for (const name of services) {
    it(`${name}: a malformed ${drainVar(name)} stops it with one line naming the variable`, async () => {
      const { code, stderr } = await runScript(`services/${name}/src/main.ts`, [], {
        ...testIdentityEnv(),
        PORT: "0",
        LOG_LEVEL: "silent",
        [drainVar(name)]: "soon",
      });
      expect(code).to.equal(1);
      expect(stderr.trim().split("\n"), stderr).to.have.length(1);
      expect(stderr.trim()).to.match(new RegExp(`^configuration error: ${drainVar(name)} must be `));
    });
  }

  it("with calls that never finish open on every service, a short drain ends them all in time", async () => {
    const stack = await startTestStack(
      "service_drain",
      Object.fromEntries(services.map((name) => [drainVar(name), "200"])),
    );
    // A health watch stays open until the server ends it: a call still in flight at shutdown.
    const watches = [stack.catalogUrl, stack.searchUrl, stack.inventoryUrl, stack.queueUrl].map(
      async (baseUrl) => {
        const client = createClient(Health, createGrpcTransport({ baseUrl }));
        const seen: number[] = [];
        try {
          for await (const res of client.watch({ service: "" })) seen.push(res.status);
        } catch {
          // cut when the drain ended
        }
        return seen;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await stack.close();
    const took = Date.now() - started;
    // Four drains of 200 ms (queue, then search and inventory, then catalog); 10 s each by default.
    expect(took).to.be.below(5_000);
    for (const seen of await Promise.all(watches)) expect(seen[0]).to.equal(1); // SERVING first
  });
});
