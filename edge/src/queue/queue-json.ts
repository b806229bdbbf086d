import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { QueueState } from "#gen/ticketing/queue/v1/queue_pb.js";
import { type Place, type PlaceState, stateOf } from "./queue-places.ts";

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The REST and SSE body: {state, position, ahead, estimatedWaitSeconds, admissionToken?, shoppingEndsAt?, opensAt?}. */
export function placeJson(place: Place) {
  return {
    state: place.state,
    position: place.position,
    ahead: place.ahead,
    estimatedWaitSeconds: place.estimatedWaitSeconds ?? null,
    ...(place.admissionToken ? { admissionToken: place.admissionToken } : {}),
    ...(place.shoppingEndsAtMs !== undefined ? { shoppingEndsAt: iso(place.shoppingEndsAtMs) } : {}),
    ...(place.opensAtMs !== undefined ? { opensAt: iso(place.opensAtMs) } : {}),
  };
}

const stateToProto = Object.fromEntries(
  Object.entries(stateOf).map(([proto, state]) => [state, Number(proto)]),
) as Record<PlaceState, QueueState>;

/** The same place as the public API's QueueStatus message. */
export function placeProto(place: Place) {
  return {
    state: stateToProto[place.state],
    number: BigInt(place.number),
    position: BigInt(place.position),
    ahead: BigInt(place.ahead),
    ...(place.estimatedWaitSeconds !== undefined ? { estimatedWaitSeconds: place.estimatedWaitSeconds } : {}),
    admissionToken: place.admissionToken ?? "",
    ...(place.shoppingEndsAtMs !== undefined
      ? { shoppingEndsAt: timestampFromMs(place.shoppingEndsAtMs) }
      : {}),
    ...(place.opensAtMs !== undefined ? { opensAt: timestampFromMs(place.opensAtMs) } : {}),
  };
}
