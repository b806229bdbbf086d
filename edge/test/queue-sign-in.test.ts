import { createServer, type Server } from "node:net";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { expect } from "chai";
import { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { connectErrorOf } from "#platform/testing";
import { type BareEdge, startBareEdge } from "./bare-edge.ts";

describe("edge: the queue RPCs need a signed-in caller, checked first", () => {
  let bare: BareEdge;
  let queue: Server;
  /** Connections the edge opened to the queue service's address. */
  let queueConnections = 0;
  before(async () => {
    queue = createServer((socket) => {
      queueConnections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => queue.listen(0, "127.0.0.1", resolve));
    const { port } = queue.address() as { port: number };
    bare = await startBareEdge("edge_queue_sign_in", { QUEUE_SERVICE_ADDR: `http://127.0.0.1:${port}` });
  });
  after(async () => {
    await bare?.close();
    await new Promise((resolve) => queue?.close(resolve));
  });

  const client = (token?: string) =>
    createClient(
      TicketingService,
      createConnectTransport({
        baseUrl: bare.url,
        httpVersion: "1.1",
        // GetQueueStatus has no side effects: sent as a GET, as a browser's cached read would be.
        useHttpGet: true,
        interceptors: token
          ? [
              (next) => (req) => {
                req.header.set("authorization", `Bearer ${token}`);
                return next(req);
              },
            ]
          : [],
      }),
    );
  const calls = (c: ReturnType<typeof client>, eventId: string) =>
    [
      ["JoinQueue", c.joinQueue({ eventId })],
      ["GetQueueStatus", c.getQueueStatus({ eventId })],
      [
        "WatchQueue",
        (async () => {
          for await (const _ of c.watchQueue({ eventId })) break;
        })(),
      ],
    ] as const;

  it("an anonymous caller gets Unauthenticated whatever the input, and the queue service is not asked", async () => {
    for (const eventId of ["00000000-0000-4000-8000-000000000001", "not-a-uuid", ""]) {
      for (const [rpc, answer] of calls(client(), eventId)) {
        const err = await connectErrorOf(answer);
        expect(err.code, `${rpc} ${eventId}`).to.equal(Code.Unauthenticated);
        expect(err.rawMessage, rpc).to.match(/^sign in first/);
      }
    }
    expect(queueConnections).to.equal(0);
  });

  it("a signed-in caller's bad input is still InvalidArgument", async () => {
    for (const [rpc, answer] of calls(client(await bare.token()), "not-a-uuid")) {
      expect((await connectErrorOf(answer)).code, rpc).to.equal(Code.InvalidArgument);
    }
    expect(queueConnections).to.equal(0);
  });
});
