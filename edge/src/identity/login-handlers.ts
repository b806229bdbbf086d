import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import type { EdgeDeps } from "../deps.ts";
import { rateLimitKey } from "../http/rate-limits.ts";
import { checkedEmail, localUsers, signInByEmail } from "./sign-in.ts";

type LoginRpcs = Pick<ServiceImpl<typeof TicketingService>, "login">;

/**
 * The Login RPC: the same sign-in and the same limits as POST /auth/login, counted in the same
 * Redis keys, so alternating between the two gains no attempts. The limit is checked here rather
 * than before the route: only here is the Connect body decoded and its e-mail known. What is not
 * an e-mail address is refused before it is counted.
 */
export function loginHandlers(deps: EdgeDeps): LoginRpcs {
  return {
    async login(req, ctx) {
      localUsers(deps);
      checkedEmail(req.email);
      const refused = await ctx.values.get(rateLimitKey)("login", req.email);
      if (refused) {
        throw new ConnectError(refused.message, Code.ResourceExhausted, {
          "retry-after": String(refused.retryAfterSeconds),
        });
      }
      ctx.responseHeader.set("cache-control", "no-store");
      return signInByEmail(deps, req.email);
    },
  };
}
