// Who is calling. The edge verifies the user's bearer token, then tells each service who the
// caller is with a short-lived token it signs (identity-token.ts); a service's identity
// interceptor verifies that token and puts the caller in the call's context values. Nothing
// else sets it: a bare header naming a user is never read.
import {
  type CallOptions,
  Code,
  ConnectError,
  type ContextValues,
  createContextKey,
  createContextValues,
} from "@connectrpc/connect";

export type Role = "user" | "admin";
export interface Caller {
  userId: string;
  role: Role;
}

/** The verified caller of a call, in its context values (server side) or call options (client side). */
export const callerKey = createContextKey<Caller | undefined>(undefined, { description: "verified caller" });

/** Further services the called service may forward the caller's token to (see forwardIdentity). */
export const delegateKey = createContextKey<readonly string[]>([], { description: "identity delegated to" });

/**
 * Call options that make the edge's identity interceptor sign `caller` into the outgoing call.
 * `alsoFor` names services the callee may pass the same token on to (the token's `aud` lists them
 * too): the queue forwards an admin's SetQueueSettings identity to inventory this way.
 */
export function asCaller(
  caller: Caller | undefined,
  signal?: AbortSignal,
  alsoFor: string[] = [],
): CallOptions {
  return {
    contextValues: createContextValues().set(callerKey, caller).set(delegateKey, alsoFor),
    ...(signal ? { signal } : {}),
  };
}

/** The verified caller, if the call carried a valid identity. */
export function callerOf(ctx: { values: ContextValues }): Caller | undefined {
  return ctx.values.get(callerKey);
}

export function requireCaller(ctx: { values: ContextValues }): Caller {
  const caller = callerOf(ctx);
  if (!caller) throw new ConnectError("sign in first", Code.Unauthenticated);
  return caller;
}

/** The one admin check: services and the edge both call it. */
export function assertAdmin(caller: Caller): Caller {
  if (caller.role !== "admin") throw new ConnectError("this needs the admin role", Code.PermissionDenied);
  return caller;
}

export function requireAdmin(ctx: { values: ContextValues }): Caller {
  return assertAdmin(requireCaller(ctx));
}
