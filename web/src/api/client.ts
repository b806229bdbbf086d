// One Connect transport for the whole app (same origin as the page, so the edge serves both).
// Reads marked NO_SIDE_EFFECTS go out as cacheable GETs; the bearer token rides on every call.
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { session } from "./session.ts";

const bearer: Interceptor = (next) => (req) => {
  const token = session.token();
  if (token) req.header.set("authorization", `Bearer ${token}`);
  return next(req);
};

export const transport = createConnectTransport({
  baseUrl: window.location.origin,
  useHttpGet: true,
  interceptors: [bearer],
});

export const api = createClient(TicketingService, transport);
