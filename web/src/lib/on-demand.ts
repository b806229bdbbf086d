// Code loaded on demand without React's Suspense. React 19 holds back the reveal of a suspended
// boundary until 300 ms after its fallback appeared (to batch reveals), so a chunk that arrives
// in 20 ms still shows its page 300 ms late, and the page's requests start that late too. Here
// the module is a plain promise: started as early as the caller likes (a link hovered, a route
// entered), rendered the moment it resolves.
import { useEffect, useReducer, useState } from "react";

export interface OnDemand<M> {
  /** Starts loading (once); safe to call on every hover or render. */
  preload(): Promise<M>;
  /** The module once loaded, else undefined. */
  current(): M | undefined;
}

export function onDemand<M>(load: () => Promise<M>): OnDemand<M> {
  let loaded: M | undefined;
  let pending: Promise<M> | undefined;
  return {
    preload() {
      if (!pending) {
        pending = load().then((m) => {
          loaded = m;
          return m;
        });
        // A failed chunk (a deploy replaced it, the network dropped) may be asked for again.
        pending.catch(() => {
          pending = undefined;
        });
      }
      return pending;
    },
    current: () => loaded,
  };
}

/** The module, re-rendering the caller when it arrives; `failed` when it could not be loaded. */
export function useOnDemand<M>(code: OnDemand<M>): { module: M | undefined; failed: boolean } {
  const [, arrived] = useReducer((n: number) => n + 1, 0);
  const [failed, setFailed] = useState(false);
  const module = code.current();
  useEffect(() => {
    if (module) return;
    let live = true;
    code.preload().then(
      () => live && arrived(),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [code, module]);
  return { module, failed: failed && !module };
}
