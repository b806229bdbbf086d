import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { call, waitForPlace, waitingRoomEvent } from "./queue-fixtures.ts";
import { openSse, type SseStream } from "./sse-client.ts";
import { login, startTestStack, type TestStack } from "./stack.ts";

/** Headers every answer carries whatever its body: what a stream must carry too. */
function crossCutting(headers: Headers): Record<string, string> {
  const own = new Set([
    "content-type",
    "content-length",
    "cache-control",
    "date",
    "connection",
    "keep-alive",
    "etag",
  ]);
  return Object.fromEntries([...headers].filter(([name]) => !own.has(name)));
}

describe("edge: SSE streams answer a browser on another origin like every other response", function () {
  this.timeout(60_000);
  // The stack's configured storefront origin (CORS_ORIGINS' default, Vite's dev server).
  const origin = "http://localhost:5173";
  let stack: TestStack;
  const open: SseStream[] = [];
  before(async () => {
    stack = await startTestStack("edge_sse_headers");
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  after(async () => {
    await stack?.close();
  });

  async function stream(url: string, headers: Record<string, string>): Promise<SseStream> {
    const s = await openSse(url, { origin, ...headers });
    open.push(s);
    return s;
  }

  it("the waiting room's stream and the seat map's carry the CORS headers of a JSON answer", async () => {
    const { eventId, sectionId } = await waitingRoomEvent(stack, { places: 1, maxActiveShoppers: 1 });
    const [shopper, waiter] = await Promise.all(
      ["shopper", "waiter"].map((n) => login(stack.edgeUrl, `${n}-${randomUUID()}@example.com`)),
    );
    const url = `${stack.edgeUrl}/events/${eventId}/queue`;
    await call("POST", url, shopper as string);
    await waitForPlace(stack.edgeUrl, eventId, shopper as string, (p) => p.state === "admitted");
    await call("POST", url, waiter as string);

    const json = await fetch(url, { headers: { origin, authorization: `Bearer ${waiter}` } });
    expect(json.status).to.equal(200);
    const expected = crossCutting(json.headers);
    expect(expected["access-control-allow-origin"]).to.equal(origin);
    expect(expected["access-control-expose-headers"]).to.match(/retry-after/i);

    const queue = await stream(`${url}/stream`, { authorization: `Bearer ${waiter}` });
    expect(queue.status).to.equal(200);
    expect(queue.headers.get("content-type")).to.match(/^text\/event-stream/);
    expect(crossCutting(queue.headers)).to.include(expected);
    expect((await queue.next()).data).to.include({ state: "waiting" });

    const seats = await stream(
      `${stack.edgeUrl}/events/${eventId}/availability/stream?section=${sectionId}`,
      {},
    );
    expect(seats.status).to.equal(200);
    expect(crossCutting(seats.headers)).to.include(expected);
    await seats.next();
  });

  it("an origin that is not configured gets no Access-Control-Allow-Origin on a stream either", async () => {
    const { eventId } = await waitingRoomEvent(stack, { places: 1 });
    const s = await openSse(`${stack.edgeUrl}/events/${eventId}/availability/stream`, {
      origin: "https://evil.example",
    });
    open.push(s);
    expect(s.status).to.equal(200);
    expect(s.headers.get("access-control-allow-origin")).to.equal(null);
  });
});
