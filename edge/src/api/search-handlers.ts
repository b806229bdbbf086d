import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import type { EdgeDeps } from "../deps.ts";

type SearchRpcs = Pick<ServiceImpl<typeof TicketingService>, "searchEvents">;

export function searchHandlers(_deps: EdgeDeps): SearchRpcs {
  return {
    searchEvents() {
      throw new ConnectError("not implemented yet", Code.Unimplemented);
    },
  };
}
