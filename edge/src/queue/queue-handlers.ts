// The waiting room on the public Connect API: the same places as the REST routes, the watch as a
// server stream.
import type { ServiceImpl } from "@connectrpc/connect";
import type { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import type { EdgeDeps } from "../deps.ts";
import { requireConnectCaller } from "../http/auth.ts";
import { placeStream } from "./place-stream.ts";
import { placeProto } from "./queue-json.ts";

/**
 * The queue RPCs: a place in line is a signed-in buyer's, so every one needs a caller, refused
 * before validation and before the queue service is asked (like the booking RPCs).
 */
export const queueRpcNames = new Set(["JoinQueue", "GetQueueStatus", "WatchQueue"]);

type QueueRpcs = Pick<ServiceImpl<typeof TicketingService>, "joinQueue" | "getQueueStatus" | "watchQueue">;

export function queueHandlers(deps: EdgeDeps): QueueRpcs {
  const { places } = deps;
  return {
    joinQueue: async (req, ctx) => ({
      status: placeProto(await places.join(req.eventId, requireConnectCaller(ctx))),
    }),
    getQueueStatus: async (req, ctx) => ({
      status: placeProto(await places.status(req.eventId, requireConnectCaller(ctx))),
    }),
    async *watchQueue(req, ctx) {
      const caller = requireConnectCaller(ctx);
      const first = await places.status(req.eventId, caller);
      for await (const place of placeStream(deps, req.eventId, caller, ctx.signal, first)) {
        yield { status: placeProto(place) };
      }
    },
  };
}
