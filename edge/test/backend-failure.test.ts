// A backend that dies mid-call is a 503 the client may retry, not a conflict: a real inventory
// process is SIGKILLed while a booking waits in it.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { expect } from "chai";
import { Health, HealthCheckResponse_ServingStatus as Status } from "#gen/grpc/health/v1/health_pb.js";
import { freePort } from "#platform";
import { loadEdgeConfig } from "../src/config.ts";
import { build as buildEdge } from "../src/main.ts";
import { seedTickets, startTestEnv, type TestEnv } from "./stack.ts";

const root = join(import.meta.dirname, "../..");
/** The sandbox provider never answers this card: the booking waits inside inventory. */
const hangingCard = { cardNumber: "4000000000000119", expMonth: 12, expYear: 2099, cvc: "123", name: "Ada" };

async function waitServing(url: string): Promise<void> {
  const health = createClient(Health, createGrpcTransport({ baseUrl: url, defaultTimeoutMs: 500 }));
  for (let i = 0; i < 300; i++) {
    const status = await health.check({ service: "" }).then(
      (r) => r.status,
      () => Status.UNKNOWN,
    );
    if (status === Status.SERVING) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("inventory did not start");
}

describe("edge: a backend that dies is unavailable, not a conflict", function () {
  this.timeout(90_000);
  let env: TestEnv;
  let inventory: ChildProcess | undefined;
  let edge: Awaited<ReturnType<typeof buildEdge>>;
  let edgeUrl: string;
  let token: string;
  before(async () => {
    env = await startTestEnv("edge_backend_down");
    const port = await freePort();
    inventory = spawn(process.execPath, ["--import", "tsx", "services/inventory/src/main.ts"], {
      cwd: root,
      env: {
        ...process.env,
        ...env.base,
        PORT: String(port),
        PAYMENT_TIMEOUT_MS: "60000",
        CATALOG_SERVICE_ADDR: "http://127.0.0.1:1",
      },
      stdio: "ignore",
    });
    const inventoryUrl = `http://127.0.0.1:${port}`;
    await waitServing(inventoryUrl);
    edge = await buildEdge(
      loadEdgeConfig({
        ...env.base,
        AUTH_MODE: "jwt",
        JWT_SECRET: "a-test-secret-that-is-long-enough-for-hs256",
        INVENTORY_SERVICE_ADDR: inventoryUrl,
        CATALOG_SERVICE_ADDR: "http://127.0.0.1:1",
        SEARCH_SERVICE_ADDR: "http://127.0.0.1:1",
      }),
    );
    edgeUrl = await edge.app.listen({ port: 0, host: "127.0.0.1" });
    token = await edge.deps.tokens.sign({ userId: "00000000-0000-4000-8000-0000000000b1", role: "user" });
  });
  after(async () => {
    inventory?.kill("SIGKILL");
    await edge?.close();
    await env?.redis.clear();
    await env?.db.drop();
  });

  it("answers 503 unavailable for a booking in flight when inventory is killed, and while it is down", async () => {
    const { eventId, ticketIds } = await seedTickets(env.db.url, 2);
    const book = (ids: string[]) =>
      fetch(`${edgeUrl}/bookings/${eventId}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
          "idempotency-key": `k-${ids[0]}`,
        },
        body: JSON.stringify({ ticketIds: ids, paymentDetails: hangingCard }),
      });
    const inFlight = book(ticketIds.slice(0, 1));
    await new Promise((r) => setTimeout(r, 1500)); // the booking now waits on the provider
    inventory?.kill("SIGKILL");
    const res = await inFlight;
    const body = (await res.json()) as { code: string; message: string };
    expect(res.status).to.equal(503);
    expect(body.code).to.equal("unavailable");
    expect(body.message).to.match(/^the inventory service did not answer \(.+\); try again$/);

    const down = await book(ticketIds.slice(1));
    expect(down.status).to.equal(503);
    expect(((await down.json()) as { code: string }).code).to.equal("unavailable");
  });
});
