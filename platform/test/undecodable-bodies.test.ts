// A request body that does not decode is InvalidArgument naming what was expected, in every
// protocol a service answers (connect-node calls a bad binary body `internal` by itself).

import { create, toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { CatalogService, GetEventRequestSchema } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { RunningServer } from "../src/server.ts";
import { type RawProtocol, rawRpc, serveForTest } from "../src/testing/index.ts";

const garbage = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]);
const text = (s: string) => new TextEncoder().encode(s);
const getEvent = "/ticketing.catalog.v1.CatalogService/GetEvent";
const eventId = "00000000-0000-4000-8000-000000000001";

describe("platform/server: request bodies that do not decode", () => {
  let server: RunningServer;
  let handled = 0;

  before(async () => {
    server = await serveForTest("catalog", {
      serviceNames: [CatalogService.typeName],
      routes: (router) =>
        router.service(CatalogService, {
          async getEvent() {
            handled++;
            return {};
          },
        }),
    });
  });
  after(() => server?.close());

  it("answers a garbage binary body InvalidArgument on Connect, gRPC and gRPC-Web", async () => {
    for (const protocol of ["connect+proto", "grpc", "grpc-web"] as RawProtocol[]) {
      const answer = await rawRpc(server.url, getEvent, protocol, garbage);
      expect(answer, protocol).to.deep.equal({
        code: Code.InvalidArgument,
        message:
          "the body is not a valid ticketing.catalog.v1.GetEventRequest in binary protobuf: " +
          "illegal tag: field no 536870911 wire type 7",
      });
    }
    expect(handled).to.equal(0);
  });

  it("answers broken JSON with the parser's reason and no excerpt of the body", async () => {
    const broken = await rawRpc(server.url, getEvent, "connect+json", text('{"eventId": "4242424242424242'));
    expect(broken).to.deep.equal({
      code: Code.InvalidArgument,
      message: "the body is not valid JSON: unterminated string in JSON at position 29 (line 1 column 30)",
    });
    const token = await rawRpc(server.url, getEvent, "connect+json", text('{"eventId": x4242424242424242}'));
    expect(token.message).to.equal("the body is not valid JSON: unexpected token 'x'");
    const shape = await rawRpc(server.url, getEvent, "connect+json", text('{"eventId": 4242424242424242}'));
    expect(shape).to.deep.equal({ code: Code.InvalidArgument, message: "eventId: must be a string" });
  });

  it("answers a garbage message in a server stream InvalidArgument (grpc.health.v1 Watch)", async () => {
    const answer = await rawRpc(server.url, "/grpc.health.v1.Health/Watch", "grpc", garbage);
    expect(answer.code).to.equal(Code.InvalidArgument);
    expect(answer.message).to.match(
      /^the body is not a valid grpc\.health\.v1\.HealthCheckRequest in binary protobuf: /,
    );
  });

  it("still decodes a good body and answers it", async () => {
    const body = toBinary(GetEventRequestSchema, create(GetEventRequestSchema, { eventId }));
    for (const protocol of ["connect+proto", "grpc", "grpc-web"] as RawProtocol[]) {
      expect(await rawRpc(server.url, getEvent, protocol, body), protocol).to.deep.equal({
        code: undefined,
        message: "",
      });
    }
    expect(handled).to.equal(3);
  });
});
