import { ConnectError } from "@connectrpc/connect";

/** Awaits a call that must fail and returns its ConnectError; fails the test if it succeeded. */
export async function connectErrorOf(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error("expected the call to fail, but it succeeded");
}
