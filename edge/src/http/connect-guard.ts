// Connect's own refusals in our `{code, message}` shape: a wrong HTTP method (405) or content
// type (415) on an RPC's path, which connect-node answers with an empty body. (A body that does
// not decode is the platform's decodeErrors, as in every service.)
import type { ConnectRouter } from "@connectrpc/connect";
import type { UniversalHandler } from "@connectrpc/connect/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";

export class ConnectGuard {
  private readonly byPath = new Map<string, UniversalHandler>();

  /** Wraps a Connect `routes` function, so that its handlers are known here. */
  routes(register: (router: ConnectRouter) => void): (router: ConnectRouter) => void {
    return (router) => {
      register(router);
      for (const handler of router.handlers) this.byPath.set(handler.requestPath, handler);
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
