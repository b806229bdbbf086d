// Every error is {code, message}: also what Fastify, Node and connect-node answer by themselves.
import net from "node:net";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { rawRpcHttp1 } from "#platform/testing";
import { type BareEdge, startBareEdge } from "./bare-edge.ts";

const eventId = "00000000-0000-4000-8000-000000000001";

describe("edge: one error shape everywhere", () => {
  let bare: BareEdge;
  let auth: Record<string, string>;
  before(async () => {
    bare = await startBareEdge("edge_error_shapes");
    auth = { authorization: `Bearer ${await bare.token()}` };
  });
  after(async () => {
    await bare?.close();
  });

  async function answer(path: string, init: RequestInit = {}) {
    const res = await fetch(`${bare.url}${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> };
  }
  /** A raw HTTP/1.1 exchange, for requests fetch will not send. */
  function raw(request: string): Promise<{ status: number; body: unknown }> {
    const { port } = new URL(bare.url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => socket.write(request));
      let text = "";
      socket.on("data", (d) => {
        text += d;
      });
      socket.on("error", reject);
      socket.on("close", () => {
        const [head = "", body = ""] = text.split("\r\n\r\n");
        resolve({ status: Number(head.split(" ")[1]), body: JSON.parse(body) });
      });
    });
  }
  const json = (body: string, headers: Record<string, string> = {}) => ({
    method: "POST",
    headers: { "content-type": "application/json", ...auth, ...headers },
    body,
  });

  it("answers a known path with the wrong method 405 with Allow, on REST and Connect", async () => {
    const rest = await answer(`/events/${eventId}`, { method: "PUT" });
    expect(rest.status).to.equal(405);
    expect(rest.headers.get("allow")).to.equal("GET");
    expect(rest.body).to.deep.equal({
      code: "method_not_allowed",
      message: `/events/${eventId} answers GET, not PUT`,
    });
    const connect = await answer("/ticketing.api.v1.TicketingService/SearchEvents", json("{}"));
    expect(connect.status).to.not.equal(405);
    const put = await answer("/ticketing.api.v1.TicketingService/SearchEvents", {
      ...json("{}"),
      method: "PUT",
    });
    expect(put.status).to.equal(405);
    expect(put.body.code).to.equal("method_not_allowed");
    expect((await answer("/nowhere")).body).to.deep.equal({
      code: "not_found",
      message: "no route for GET /nowhere",
    });
  });

  it("answers 413, 415 and malformed JSON as {code, message}, without echoing the body", async () => {
    const big = await answer(`/bookings/${eventId}`, json(JSON.stringify({ x: "a".repeat(100_000) })));
    expect(big).to.deep.include({
      status: 413,
      body: { code: "payload_too_large", message: "the body is larger than 65536 bytes" },
    });
    const text = await answer(`/bookings/${eventId}`, json("hello", { "content-type": "text/plain" }));
    expect(text).to.deep.include({
      status: 415,
      body: { code: "unsupported_media_type", message: "send the body as application/json" },
    });
    const broken = await answer(`/bookings/${eventId}`, json('{"cardNumber": 4242424242424242'));
    expect(broken).to.deep.include({
      status: 400,
      body: {
        code: "invalid_argument",
        message:
          "the body is not valid JSON: expected ',' or '}' after property value in JSON at position 31 (line 1 column 32)",
      },
    });
    const connect = await answer(
      "/ticketing.api.v1.TicketingService/SearchEvents",
      json("{}", { "content-type": "text/plain" }),
    );
    expect(connect.status).to.equal(415);
    expect(connect.body.code).to.equal("unsupported_media_type");
  });

  it("answers bad URL encodings, unparsable HTTP and oversized headers as {code, message}", async () => {
    expect(await answer("/events/%zz")).to.deep.include({
      status: 400,
      body: { code: "invalid_argument", message: "the URL is not valid (a bad percent-encoding?)" },
    });
    // Not decoded into U+FFFD and searched for: refused like the path.
    for (const [query, where] of [
      ["keyword=%FF", "the value of keyword"],
      ["city=S%C3%A3o&keyword=%E0%A4%A", "the value of keyword"],
      ["%zz=1", "a parameter name"],
    ]) {
      expect(await answer(`/events/search?${query}`)).to.deep.include({
        status: 400,
        body: {
          code: "invalid_argument",
          message: `the query string has a bad percent-encoding in ${where}`,
        },
      });
    }
    const headers = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(headers).to.deep.equal({
      status: 431,
      body: { code: "headers_too_large", message: "the request's headers are too large" },
    });
    const garbage = await raw("GET /healthz HTTP/1.1\r\nHost x\r\n\r\n");
    expect(garbage).to.deep.equal({
      status: 400,
      body: { code: "invalid_argument", message: "the request is not valid HTTP" },
    });
  });

  it("checks authentication before the body, on REST and Connect", async () => {
    const rest = await answer(`/bookings/${eventId}`, json("{not json", { authorization: "" }));
    expect(rest.status).to.equal(401);
    expect(rest.body.code).to.equal("unauthenticated");
    const connect = await answer(
      "/ticketing.api.v1.TicketingService/BookTickets",
      json("{}", { authorization: "" }),
    );
    expect(connect.status).to.equal(401);
    expect(connect.body.code).to.equal("unauthenticated");
  });

  it("refuses unknown JSON fields on Connect as on REST", async () => {
    const connect = await answer(
      "/ticketing.api.v1.TicketingService/SearchEvents",
      json('{"keyword":"a","nope":1}'),
    );
    expect(connect.status).to.equal(400);
    expect(connect.body).to.deep.equal({ code: "invalid_argument", message: "nope: unknown field" });
  });

  it("answers a NUL character in a query parameter or a Connect field with 400", async () => {
    expect(await answer("/events/search?keyword=a%00b")).to.deep.include({
      status: 400,
      body: { code: "invalid_argument", message: "keyword must not contain NUL characters" },
    });
    const connect = await answer(
      "/ticketing.api.v1.TicketingService/SearchEvents",
      json('{"keyword":"a\\u0000b"}'),
    );
    expect(connect.status).to.equal(400);
    expect(connect.body.message).to.equal("keyword: must not contain NUL characters");
  });

  it("answers garbage binary bodies invalid_argument naming the message, on Connect and gRPC-Web", async () => {
    for (const [method, type, bytes] of [
      ["SearchEvents", "ticketing.search.v1.SearchEventsRequest", [0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]],
      [
        "BookTickets",
        "ticketing.inventory.v1.BookTicketsRequest",
        [0x0a, 0x05, 0xc3, 0x28, 0xa0, 0xa1, 0xe2],
      ],
      ["WatchAvailability", "ticketing.api.v1.WatchAvailabilityRequest", [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ] as const) {
      const path = `/ticketing.api.v1.TicketingService/${method}`;
      const protocols =
        method === "WatchAvailability" ? (["grpc-web"] as const) : (["connect+proto", "grpc-web"] as const);
      for (const protocol of protocols) {
        const res = await rawRpcHttp1(bare.url, path, protocol, new Uint8Array(bytes), auth);
        expect(res.code, `${method} ${protocol}`).to.equal(Code.InvalidArgument);
        expect(res.message).to.match(new RegExp(`^the body is not a valid ${type} in binary protobuf: \\w`));
      }
    }
  });

  it("answers malformed Connect JSON as REST does, with no error logged", async () => {
    const logged: unknown[] = [];
    const logger = bare.edge.deps.logger;
    const error = logger.error;
    const consoleError = console.error;
    logger.error = ((...args: unknown[]) => void logged.push(args)) as typeof logger.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const connect = await answer("/ticketing.api.v1.TicketingService/SearchEvents", json('{"query":'));
      const rest = await answer(`/bookings/${eventId}`, json('{"query":'));
      for (const res of [connect, rest]) {
        expect(res).to.deep.include({
          status: 400,
          body: {
            code: "invalid_argument",
            message: "the body is not valid JSON: unexpected end of JSON input",
          },
        });
      }
    } finally {
      logger.error = error;
      console.error = consoleError;
    }
    expect(logged).to.deep.equal([]);
  });
});
