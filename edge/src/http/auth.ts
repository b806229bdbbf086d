import { Code, ConnectError, createContextKey, type HandlerContext } from "@connectrpc/connect";
import type { FastifyRequest } from "fastify";
import type { Caller } from "#platform";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the auth hook when a valid bearer token came with the request. */
    caller?: Caller;
  }
}

/** The caller of a Connect call, copied from the Fastify request by the Connect plugin. */
export const callerKey = createContextKey<Caller | undefined>(undefined, { description: "caller" });

export function requireRestCaller(request: FastifyRequest): Caller {
  if (!request.caller)
    throw new ConnectError("sign in first: send Authorization: Bearer <token>", Code.Unauthenticated);
  return request.caller;
}

export function requireConnectCaller(ctx: HandlerContext): Caller {
  const caller = ctx.values.get(callerKey);
  if (!caller)
    throw new ConnectError("sign in first: send Authorization: Bearer <token>", Code.Unauthenticated);
  return caller;
}
