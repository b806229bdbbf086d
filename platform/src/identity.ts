// The edge verifies the bearer token and forwards who the caller is as request metadata.
// Services sit on a private network and trust only these headers.
import { Code, ConnectError } from "@connectrpc/connect";

export const userIdHeader = "x-user-id";
export const userRoleHeader = "x-user-role";

export type Role = "user" | "admin";
export interface Caller {
  userId: string;
  role: Role;
}

/** Headers that carry the caller to a downstream service. */
export function callerHeaders(caller: Caller | undefined): Record<string, string> {
  return caller ? { [userIdHeader]: caller.userId, [userRoleHeader]: caller.role } : {};
}

export function callerOf(headers: Headers): Caller | undefined {
  const userId = headers.get(userIdHeader);
  if (!userId) return undefined;
  return { userId, role: headers.get(userRoleHeader) === "admin" ? "admin" : "user" };
}

export function requireCaller(headers: Headers): Caller {
  const caller = callerOf(headers);
  if (!caller) throw new ConnectError("sign in first", Code.Unauthenticated);
  return caller;
}

export function requireAdmin(headers: Headers): Caller {
  const caller = requireCaller(headers);
  if (caller.role !== "admin") throw new ConnectError("this needs the admin role", Code.PermissionDenied);
  return caller;
}
