// Connect's own refusals in our `{code, message}` shape: a wrong HTTP method (405) or content
// type (415) on an RPC's path — which connect-node answers with an empty body — and a binary
// body that does not decode, which it answers as 500 `internal` although the caller sent it.
import type { ConnectRouter } from "@connectrpc/connect";
import {
  createAsyncIterable,
  readAllBytes,
  type UniversalHandler,
  type UniversalServerResponse,
} from "@connectrpc/connect/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";

export class ConnectGuard {
  private readonly byPath = new Map<string, UniversalHandler>();

  /** Wraps a Connect `routes` function: its handlers are known here, and their decode errors fixed. */
  routes(register: (router: ConnectRouter) => void): (router: ConnectRouter) => void {
    return (router) => {
      register(router);
      router.handlers.forEach((handler, i) => {
        this.byPath.set(handler.requestPath, handler);
        router.handlers[i] = Object.assign(withDecodeErrors(handler), handler);
      });
    };
  }

  /** An onRequest hook for the Connect routes' scope. */
  readonly onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const handler = this.byPath.get(request.url.split("?")[0] ?? "");
    if (!handler) return;
    if (!handler.allowedMethods.includes(request.method)) {
      const allowed = handler.allowedMethods.join(", ");
      return void reply
        .code(405)
        .header("allow", allowed)
        .send({ code: "method_not_allowed", message: `${handler.method.name} answers ${allowed}` });
    }
    if (request.method === "POST" && !handler.supportedContentType(request.headers["content-type"] ?? null)) {
      return void reply.code(415).send({
        code: "unsupported_media_type",
        message: "send application/json or application/proto (Connect), or a gRPC / gRPC-Web content type",
      });
    }
  };
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function withDecodeErrors(handler: UniversalHandler) {
  return async (req: Parameters<UniversalHandler>[0]): Promise<UniversalServerResponse> => {
    const res = await handler(req);
    // Only Connect's unary errors: a small JSON body (gRPC errors travel in trailers, status 200).
    if (res.status !== 500 || !res.body) return res;
    const bytes = await readAllBytes(res.body, 64 * 1024);
    const same = { ...res, body: createAsyncIterable([bytes]) };
    let message: unknown;
    try {
      message = (JSON.parse(decoder.decode(bytes)) as { message?: unknown }).message;
    } catch {
      return same;
    }
    if (typeof message !== "string" || !message.startsWith("parse binary:")) return same;
    const body = encoder.encode(
      JSON.stringify({
        code: "invalid_argument",
        message: `the body is not a ${handler.method.input.name} in binary protobuf`,
      }),
    );
    const header = new Headers(res.header);
    header.set("content-length", String(body.byteLength));
    return { ...res, status: 400, header, body: createAsyncIterable([body]) };
  };
}
