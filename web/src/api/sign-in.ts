// Local sign-in over the public Connect API's Login RPC (AUTH_MODE=local).
import { Code, ConnectError } from "@connectrpc/connect";
import { api } from "./client.ts";
import { session } from "./session.ts";

/** What the sign-in form says for a refusal. */
function messageOf(err: unknown): string {
  const e = ConnectError.from(err);
  switch (e.code) {
    case Code.Unimplemented:
      return "Sign-in is not available here.";
    case Code.InvalidArgument:
    case Code.ResourceExhausted:
      return e.rawMessage;
    case Code.Unavailable:
    case Code.Unknown:
      return "The service cannot be reached; please try again.";
    default:
      return e.rawMessage || "Sign-in failed.";
  }
}

export async function signIn(email: string): Promise<void> {
  try {
    const { token, user } = await api.login({ email });
    if (!token || !user) throw new Error("Sign-in failed.");
    session.start(token, { id: user.id, email: user.email, role: user.role }, true);
  } catch (err) {
    throw new Error(messageOf(err));
  }
}
