import type { ServiceImpl } from "@connectrpc/connect";
import type { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import type { EdgeDeps } from "../deps.ts";
import { searchCacheControl } from "./search-loader.ts";

type SearchRpcs = Pick<ServiceImpl<typeof TicketingService>, "searchEvents">;

/** The search RPC of the public API, from the same micro-cache as the REST route. */
export function searchHandlers(deps: EdgeDeps): SearchRpcs {
  return {
    /** Served as a cacheable GET (NO_SIDE_EFFECTS) as well as POST. */
    async searchEvents(req, ctx) {
      const { message } = await deps.searches.search(req);
      ctx.responseHeader.set("cache-control", searchCacheControl);
      return message;
    },
  };
}
