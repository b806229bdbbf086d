// Who is signed in: the bearer token from local sign-in, kept in localStorage so a reload or a new
// tab stays signed in. Components read it through useSession (an external store).
import { useSyncExternalStore } from "react";

export interface SessionUser {
  id: string;
  email: string;
  role: string;
}

export interface Session {
  token: string;
  user: SessionUser;
  /** Token expiry, ms since the epoch (from its `exp` claim). */
  expiresAt: number;
  /** Signed in with the edge's local demo sign-in (AUTH_MODE=local, sandbox payments). */
  local: boolean;
}

const key = "ticketing.session";
const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(key) ?? "null") as Session | null;
    return parsed && parsed.expiresAt > Date.now() ? parsed : null;
  } catch {
    return null;
  }
}

function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split(".")[1]?.replace(/-/g, "+").replace(/_/g, "/") ?? "")) as {
      exp?: number;
    };
    return (payload.exp ?? 0) * 1000;
  } catch {
    return 0;
  }
}

function publish(next: Session | null): void {
  current = next;
  if (next) localStorage.setItem(key, JSON.stringify(next));
  else localStorage.removeItem(key);
  for (const listener of listeners) listener();
}

// Another tab signing in or out.
window.addEventListener("storage", (e) => {
  if (e.key === key) publish(read());
});

export const session = {
  get(): Session | null {
    if (current && current.expiresAt <= Date.now()) publish(null);
    return current;
  },
  token: (): string | undefined => session.get()?.token,
  start(token: string, user: SessionUser, local: boolean): Session {
    const next = { token, user, expiresAt: expiryOf(token), local };
    publish(next);
    return next;
  },
  end(): void {
    publish(null);
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useSession(): Session | null {
  return useSyncExternalStore(session.subscribe, session.get);
}
