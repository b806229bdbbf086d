import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { expect } from "chai";
import { Health, HealthCheckResponse_ServingStatus as Status } from "#gen/grpc/health/v1/health_pb.js";
import { CatalogService, GetEventRequestSchema } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { RunningServer } from "../src/server.ts";
import { connectErrorOf, serveForTest } from "../src/testing/index.ts";

describe("platform/server", () => {
  let server: RunningServer;
  let release: () => void = () => {};
  const slowCallFinished: boolean[] = [];

  before(async () => {
    server = await serveForTest("catalog", {
      serviceNames: [CatalogService.typeName],
      routes: (router) =>
        router.service(CatalogService, {
          async getEvent(req) {
            if (req.eventId === "00000000-0000-4000-8000-000000000001") {
              await new Promise<void>((resolve) => {
                release = resolve;
              });
              slowCallFinished.push(true);
            }
            if (req.eventId === "00000000-0000-4000-8000-000000000002")
              throw new Error("boom with secret detail");
            throw new ConnectError("no such event", Code.NotFound);
          },
        }),
    });
  });

  it("answers grpc.health.v1 Check with SERVING for the server and each service", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: server.url }));
    expect((await health.check({ service: "" })).status).to.equal(Status.SERVING);
    expect((await health.check({ service: CatalogService.typeName })).status).to.equal(Status.SERVING);
    const err = await connectErrorOf(health.check({ service: "nope" }));
    expect(err).to.have.property("code", Code.NotFound);
  });

  it("rejects invalid input with InvalidArgument before the handler runs (gRPC and Connect)", async () => {
    for (const transport of [
      createGrpcTransport({ baseUrl: server.url }),
      createConnectTransport({ baseUrl: server.url, httpVersion: "2" }),
    ]) {
      const client = createClient(CatalogService, transport);
      const err = await connectErrorOf(
        client.getEvent(create(GetEventRequestSchema, { eventId: "not-a-uuid" })),
      );
      expect(err.code).to.equal(Code.InvalidArgument);
      // Named as proto JSON (and Connect's JSON) names it, the same path the edge's REST uses.
      expect(err.rawMessage).to.equal("eventId: must be a valid UUID");
    }
  });

  it("refuses a request message over 4 MiB with ResourceExhausted before reading it whole", async () => {
    const client = createClient(CatalogService, createGrpcTransport({ baseUrl: server.url }));
    const err = await connectErrorOf(client.getEvent({ eventId: "a".repeat(5 * 1024 * 1024) }));
    expect(err.code).to.equal(Code.ResourceExhausted);
    expect(err.rawMessage).to.match(/readMaxBytes/);
  });

  it("passes ConnectErrors through and hides unexpected errors behind Internal", async () => {
    const client = createClient(CatalogService, createGrpcTransport({ baseUrl: server.url }));
    const notFound = await connectErrorOf(
      client.getEvent({ eventId: "00000000-0000-4000-8000-000000000003" }),
    );
    expect(notFound.code).to.equal(Code.NotFound);
    const internal = await connectErrorOf(
      client.getEvent({ eventId: "00000000-0000-4000-8000-000000000002" }),
    );
    expect(internal.code).to.equal(Code.Internal);
    expect(internal.rawMessage).to.not.contain("secret");
  });

  it("drains an in-flight call on close and reports NOT_SERVING", async () => {
    const client = createClient(CatalogService, createGrpcTransport({ baseUrl: server.url }));
    const inFlight = connectErrorOf(client.getEvent({ eventId: "00000000-0000-4000-8000-000000000001" }));
    await new Promise((r) => setTimeout(r, 100));
    const closed = server.close();
    expect(server.health.status("")).to.equal(Status.NOT_SERVING);
    release();
    await closed;
    expect(slowCallFinished).to.deep.equal([true]);
    expect((await inFlight).code).to.equal(Code.NotFound);
  });
});
