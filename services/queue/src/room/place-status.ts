import type { Place, RoomCounters } from "./room-store.ts";

export type State = "waiting" | "admitted" | "sold_out" | "closed";

export interface PlaceStatus {
  state: State;
  number: number;
  position: number;
  ahead: number;
  estimatedWaitSeconds: number | undefined;
  shoppingEndsAtMs: number | undefined;
}

/**
 * A buyer's status from their place and the room's shared counters: the one place the rules live.
 * Admitted while the shopping window runs, closed after it; a waiter's position is their number
 * minus "now serving", and the wait is that position over the measured admission rate.
 */
export function placeStatus(
  place: Place,
  counters: Pick<RoomCounters, "ratePerMinute">,
  nowMs: number,
): PlaceStatus {
  const base = { number: place.number, position: 0, ahead: 0, estimatedWaitSeconds: undefined };
  if (place.windowEndMs !== undefined) {
    return nowMs < place.windowEndMs
      ? { ...base, state: "admitted", shoppingEndsAtMs: place.windowEndMs }
      : { ...base, state: "closed", shoppingEndsAtMs: place.windowEndMs };
  }
  if (place.soldOut) return { ...base, state: "sold_out", shoppingEndsAtMs: undefined };
  // In the pre-queue (number 0) nobody has a position until the draw at opening.
  if (place.number === 0) return { ...base, state: "waiting", shoppingEndsAtMs: undefined };
  const position = Math.max(1, place.number - place.serving);
  return {
    state: "waiting",
    number: place.number,
    position,
    ahead: position - 1,
    estimatedWaitSeconds:
      counters.ratePerMinute > 0 ? Math.ceil((position * 60) / counters.ratePerMinute) : undefined,
    shoppingEndsAtMs: undefined,
  };
}
