import { expect } from "chai";
import { type BareEdge, startBareEdge } from "./bare-edge.ts";

const MiB = 1024 * 1024;

/** A JSON body of `total` bytes, streamed in 1 MiB chunks with no Content-Length; counts what was pulled. */
function streamedBody(total: number) {
  const counter = { pulled: 0, stopped: false };
  const chunk = new Uint8Array(MiB).fill(0x61); // "aaaa…"
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"keyword":"'));
    },
    pull(controller) {
      if (counter.stopped || counter.pulled >= total) {
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
        return;
      }
      counter.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter };
}

describe("edge: request body limits", function () {
  this.timeout(60_000);
  let bare: BareEdge;
  before(async () => {
    bare = await startBareEdge("edge_body_limits");
  });
  after(async () => {
    await bare?.close();
  });

  it("refuses a 100 MB Connect body without reading it whole, with a clear error", async () => {
    const { stream, counter } = streamedBody(100 * MiB);
    const res = await fetch(`${bare.url}/ticketing.api.v1.TicketingService/SearchEvents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const body = (await res.json()) as { code: string; message: string };
    const pulled = counter.pulled;
    counter.stopped = true;
    expect(body.code).to.equal("resource_exhausted");
    expect(body.message).to.equal("message size is larger than configured readMaxBytes 1048576");
    // The edge stopped reading past the limit: only socket buffers' worth was sent after it.
    expect(pulled).to.be.below(20 * MiB);
  });

  it("refuses a declared oversized Connect body at once", async () => {
    const res = await fetch(`${bare.url}/ticketing.api.v1.TicketingService/SearchEvents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ keyword: "a".repeat(2 * MiB) }),
    });
    expect(((await res.json()) as { code: string }).code).to.equal("resource_exhausted");
  });
});
