// Loading state for one call, re-run when `deps` change and, with `refreshMs`, every so often while
// the tab is visible (how availability stays current until a live stream replaces polling).
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  refreshMs = 0,
): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const abort = useRef<AbortController | null>(null);

  const run = useCallback(async () => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    try {
      const data = await loadRef.current(controller.signal);
      if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
    } catch (error) {
      if (!controller.signal.aborted) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, []);

  // The caller's deps decide when to reload (as with useEffect itself).
  useEffect(() => {
    setState((s) => ({ ...s, loading: true }));
    void run();
    if (!refreshMs) return () => abort.current?.abort();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void run();
    }, refreshMs);
    return () => {
      clearInterval(timer);
      abort.current?.abort();
    };
  }, [run, refreshMs, ...deps]);

  return { ...state, reload: run };
}
