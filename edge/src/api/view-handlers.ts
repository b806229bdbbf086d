import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import type { EdgeDeps } from "../deps.ts";

type ViewRpcs = Pick<
  ServiceImpl<typeof TicketingService>,
  "getEventPage" | "listSectionTickets" | "listEvents"
>;

export function viewHandlers(_deps: EdgeDeps): ViewRpcs {
  const todo = () => {
    throw new ConnectError("not implemented yet", Code.Unimplemented);
  };
  return { getEventPage: todo, listSectionTickets: todo, listEvents: todo };
}
