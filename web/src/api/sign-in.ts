// Local sign-in through the edge's POST /auth/login (AUTH_MODE=local).
import { session } from "./session.ts";

export async function signIn(email: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch("/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email }),
    });
  } catch {
    throw new Error("The service cannot be reached; please try again.");
  }
  const body = (await res.json().catch(() => ({}))) as {
    token?: string;
    user?: { id: string; email: string; role: string };
    message?: string;
  };
  if (!res.ok || !body.token || !body.user) {
    throw new Error(
      res.status === 404 ? "Sign-in is not available here." : (body.message ?? "Sign-in failed."),
    );
  }
  session.start(body.token, body.user, true);
}
