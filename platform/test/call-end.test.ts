// Every call's context signal is aborted when its handler ends; with no reason of ours it carries
// the same AbortError a bare abort() would build, made once (decode-errors.ts: callEnded), and an
// error the handler ends with stays the reason.

import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { expect } from "chai";
import { CatalogService, GetEventRequestSchema } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { RunningServer } from "../src/server.ts";
import { type RawProtocol, rawRpc, serveForTest } from "../src/testing/index.ts";

const getEvent = "/ticketing.catalog.v1.CatalogService/GetEvent";
const ok = "00000000-0000-4000-8000-000000000001";
const missing = "00000000-0000-4000-8000-000000000002";
const body = (eventId: string) => toBinary(GetEventRequestSchema, create(GetEventRequestSchema, { eventId }));

async function abortedReason(signal: AbortSignal): Promise<unknown> {
  for (let i = 0; i < 100 && !signal.aborted; i++) await new Promise((r) => setTimeout(r, 5));
  expect(signal.aborted, "the call's signal is aborted once it ended").to.equal(true);
  return signal.reason;
}

describe("platform/server: the abort that ends a call", () => {
  let server: RunningServer;
  const signals: AbortSignal[] = [];

  before(async () => {
    server = await serveForTest("catalog", {
      serviceNames: [CatalogService.typeName],
      routes: (router) =>
        router.service(CatalogService, {
          async getEvent(req, ctx) {
            signals.push(ctx.signal);
            if (req.eventId === missing) throw new ConnectError("no such event", Code.NotFound);
            return {};
          },
        }),
    });
  });
  after(() => server?.close());

  it("carries one ready-made AbortError for every call that ended without an error", async () => {
    const reasons: unknown[] = [];
    for (const protocol of ["connect+proto", "grpc", "grpc-web", "connect+proto"] as RawProtocol[]) {
      signals.length = 0;
      expect((await rawRpc(server.url, getEvent, protocol, body(ok))).code, protocol).to.equal(undefined);
      reasons.push(await abortedReason(signals[0] as AbortSignal));
    }
    for (const reason of reasons) {
      expect(reason).to.be.instanceOf(DOMException);
      expect(reason).to.include({ name: "AbortError", message: "This operation was aborted" });
      // The same object each time: not one built (with its stack trace) per call.
      expect(reason).to.equal(reasons[0]);
    }
  });

  it("keeps the handler's error as the reason of a call that failed", async () => {
    signals.length = 0;
    expect((await rawRpc(server.url, getEvent, "connect+proto", body(missing))).code).to.equal(Code.NotFound);
    const reason = await abortedReason(signals[0] as AbortSignal);
    expect(reason).to.be.instanceOf(ConnectError);
    expect((reason as ConnectError).code).to.equal(Code.NotFound);
  });
});
