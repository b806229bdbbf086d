import type { Interceptor } from "@connectrpc/connect";

/**
 * A client interceptor that counts the RPCs it sees — of one method (by name), or all of them —
 * for tests that assert how many calls a cache or a coalescing path let through.
 */
export function callCounter(method?: string): { interceptor: Interceptor; readonly calls: number } {
  let calls = 0;
  return {
    interceptor: (next) => (req) => {
      if (method === undefined || req.method.name === method) calls++;
      return next(req);
    },
    get calls() {
      return calls;
    },
  };
}
