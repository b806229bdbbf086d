import { timestampFromDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { QueueState } from "#gen/ticketing/queue/v1/queue_pb.js";
import type { PlaceStatus, State } from "../room/place-status.ts";
import type { RoomCounters } from "../room/room-store.ts";
import type { RoomSettings } from "../settings/settings-store.ts";

const stateToProto: Record<State, QueueState> = {
  waiting: QueueState.WAITING,
  admitted: QueueState.ADMITTED,
  sold_out: QueueState.SOLD_OUT,
  closed: QueueState.CLOSED,
};

export function statusToProto(status: PlaceStatus, token: string | undefined, opensAt: Date) {
  return {
    state: stateToProto[status.state],
    number: BigInt(status.number),
    position: BigInt(status.position),
    ahead: BigInt(status.ahead),
    ...(status.estimatedWaitSeconds !== undefined
      ? { estimatedWaitSeconds: status.estimatedWaitSeconds }
      : {}),
    admissionToken: token ?? "",
    ...(status.shoppingEndsAtMs !== undefined
      ? { shoppingEndsAt: timestampFromMs(status.shoppingEndsAtMs) }
      : {}),
    opensAt: timestampFromDate(opensAt),
  };
}

export function settingsToProto(s: RoomSettings) {
  return {
    enabled: s.enabled,
    maxActiveShoppers: s.maxActiveShoppers,
    admissionsPerMinute: s.admissionsPerMinute,
    shoppingWindowSeconds: s.shoppingWindowSeconds,
    opensAt: timestampFromDate(s.opensAt),
  };
}

export function snapshotToProto(s: RoomSettings, c: RoomCounters) {
  return {
    eventId: s.eventId,
    enabled: s.enabled,
    opened: c.opened,
    serving: BigInt(c.serving),
    issued: BigInt(c.issued),
    soldOut: c.soldOut,
    admissionRatePerMinute: c.ratePerMinute,
    opensAt: timestampFromDate(s.opensAt),
    shoppingWindowSeconds: s.shoppingWindowSeconds,
  };
}
