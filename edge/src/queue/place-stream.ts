// A buyer's place as a stream: the first answer at once, then one whenever it changes, driven by
// the process's one poll per event (RoomSnapshots.watch) — a stream costs the queue nothing per
// poll unless its buyer's state can have changed. Position-only moves are sent at most once per
// `minGapMs`; state changes at once. Ends after a final state (admitted, sold out, closed, not required).
import type { Caller } from "#platform";
import type { Place, QueuePlaces } from "./queue-places.ts";
import type { RoomSnapshots, RoomView } from "./room-snapshots.ts";

const final = new Set(["admitted", "sold_out", "closed", "not_required"]);

export interface PlaceStreamDeps {
  rooms: RoomSnapshots;
  places: QueuePlaces;
}

export async function* placeStream(
  deps: PlaceStreamDeps,
  eventId: string,
  caller: Caller,
  signal: AbortSignal,
  first: Place,
  minGapMs = 1000,
): AsyncGenerator<Place> {
  let last = first;
  let sentAt = Date.now();
  yield first;
  if (final.has(first.state)) return;
  let latest: RoomView | undefined;
  let wake: (() => void) | undefined;
  const stop = deps.rooms.watch(eventId, (view) => {
    latest = view;
    wake?.();
  });
  const aborted = () => wake?.();
  signal.addEventListener("abort", aborted);
  try {
    while (!signal.aborted) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
      if (signal.aborted || !latest) continue;
      let place: Place;
      try {
        place = await deps.places.statusIn(eventId, caller, latest);
      } catch {
        continue; // the queue is unreachable for a moment: keep the last answer, try on the next poll
      }
      const stateChanged = place.state !== last.state;
      const moved =
        place.position !== last.position || place.estimatedWaitSeconds !== last.estimatedWaitSeconds;
      if (!stateChanged && (!moved || Date.now() - sentAt < minGapMs)) continue;
      last = place;
      sentAt = Date.now();
      yield place;
      if (final.has(place.state)) return;
    }
  } finally {
    stop();
    signal.removeEventListener("abort", aborted);
  }
}
