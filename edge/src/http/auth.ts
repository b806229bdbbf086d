import { Code, ConnectError, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import type { FastifyRequest } from "fastify";
import { type Caller, callerKey } from "#platform";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the auth hook when a valid bearer token came with the request. */
    caller?: Caller;
  }
}

/**
 * The caller of a Connect call, copied from the Fastify request by the Connect plugin: the
 * platform's key, so `ctx.values` can be handed to a service client as they are.
 */
export { callerKey };

const signInFirst = () =>
  new ConnectError("sign in first: send Authorization: Bearer <token>", Code.Unauthenticated);

export function requireRestCaller(request: FastifyRequest): Caller {
  if (!request.caller) throw signInFirst();
  return request.caller;
}

/** Route options for REST routes that need a caller: checked before the body is even parsed. */
export const signedIn = {
  onRequest: async (request: FastifyRequest) => {
    requireRestCaller(request);
  },
};

/**
 * For the Connect API: the RPCs `needsCaller` names are refused without a caller before anything
 * else, validation included, as the REST routes are.
 */
export function signedInInterceptor(needsCaller: (service: string, method: string) => boolean): Interceptor {
  return (next) => (req) => {
    if (needsCaller(req.service.typeName, req.method.name) && !req.contextValues.get(callerKey))
      throw signInFirst();
    return next(req);
  };
}

export function requireConnectCaller(ctx: HandlerContext): Caller {
  const caller = ctx.values.get(callerKey);
  if (!caller) throw signInFirst();
  return caller;
}
