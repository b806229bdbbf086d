// The demo sign-in of local mode, shared by POST /auth/login and the Connect Login RPC: an
// e-mail address is the whole credential, so both must refuse the same inputs the same way.
import { Code, ConnectError } from "@connectrpc/connect";
import type { EdgeDeps } from "../deps.ts";
import { badRequest } from "../http/errors.ts";
import type { UserDirectory, UserView } from "./users.ts";

/** No spaces, control characters (NUL included) or second @. */
const emailPattern = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]{1,188}\.[^\s@\p{Cc}]{2,}$/u;

export interface SignedIn {
  token: string;
  user: UserView;
}

/** The user directory, which exists only in local mode. */
export function localUsers(deps: Pick<EdgeDeps, "users">): UserDirectory {
  if (!deps.users) {
    throw new ConnectError(
      "sign-in by e-mail is only available in local mode (AUTH_MODE=local)",
      Code.Unimplemented,
    );
  }
  return deps.users;
}

/** `value` as an e-mail address, or InvalidArgument naming the field. */
export function checkedEmail(value: unknown): string {
  if (typeof value !== "string" || !emailPattern.test(value.trim())) {
    throw badRequest("email must be an e-mail address");
  }
  return value;
}

/** Finds or creates the user named by `email` and signs a token for them. */
export async function signInByEmail(
  deps: Pick<EdgeDeps, "users" | "tokens">,
  email: unknown,
): Promise<SignedIn> {
  const users = localUsers(deps);
  const user = await users.findOrCreate(checkedEmail(email));
  const token = await deps.tokens.sign({ userId: user.id, role: user.role });
  return { token, user };
}
