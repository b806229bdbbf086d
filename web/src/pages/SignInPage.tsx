// Local sign-in (AUTH_MODE=local): an e-mail address is enough. Afterwards the buyer goes back to
// where they were (`?next=`), seats and all.
import { type FormEvent, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { useSession } from "../api/session.ts";
import { signIn } from "../api/sign-in.ts";
import { useTitle } from "../lib/use-title.ts";

/** Only same-site paths: an open redirect would let a link send a signed-in buyer anywhere. */
export function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function SignInPage() {
  useTitle("Sign in");
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const me = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (me && !busy) return <Navigate to={next} replace />;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get("email") ?? "").trim();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email);
      navigate(next, { replace: true });
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1>Sign in</h1>
      {next.startsWith("/e/") && <p>Sign in to hold your seats. You will come back to the same seats.</p>}
      <form onSubmit={submit} className="stack">
        <label>
          E-mail
          <input type="email" name="email" required autoComplete="email" aria-describedby="signin-hint" />
        </label>
        <p id="signin-hint" className="muted">
          Demo sign-in: any address works; admin@example.com is an event admin.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}
