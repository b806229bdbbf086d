// Who is calling. The edge verifies the user's bearer token, then tells each service who the
// caller is with a short-lived token it signs (identity-token.ts); a service's identity
// interceptor verifies that token and puts the caller in the call's context values. Nothing
// else sets it: a bare header naming a user is never read.
import { createHash } from "node:crypto";
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

/**
 * A call on behalf of many users at once (the edge's batched queue joins): the token names no
 * user but carries a digest of the request's scope and user ids, so it vouches for exactly
 * those. Client side: the digest to sign; server side: the digest the verified token carried.
 */
export const vouchKey = createContextKey<string | undefined>(undefined, { description: "vouched digest" });

/** The digest a vouching token carries: of the scope (an event id, say) and the user ids, in order. */
export function vouchDigest(scope: string, userIds: readonly string[]): string {
  return createHash("sha256")
    .update(JSON.stringify([scope, userIds]))
    .digest("base64url");
}

/** Call options that make the edge's identity interceptor vouch for `userIds` within `scope`. */
export function asVouching(scope: string, userIds: readonly string[], signal?: AbortSignal): CallOptions {
  return {
    contextValues: createContextValues().set(vouchKey, vouchDigest(scope, userIds)),
    ...(signal ? { signal } : {}),
  };
}

/**
 * Refuses a call whose token does not vouch for exactly these users in this scope: a per-user
 * token, no token, or a vouching token of another request.
 */
export function requireVouched(
  ctx: { values: ContextValues },
  scope: string,
  userIds: readonly string[],
): void {
  const vouched = ctx.values.get(vouchKey);
  if (!vouched)
    throw new ConnectError("this call needs the edge's vouching identity token", Code.Unauthenticated);
  if (vouched !== vouchDigest(scope, userIds))
    throw new ConnectError("the identity token vouches for other users", Code.PermissionDenied);
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
