// A buyer's place in a waiting room, as the edge answers it. The queue service says once what a
// buyer's number is (it never changes) and, when admitted, their token; from then on the edge
// derives position, people ahead and the wait from the event's shared counters alone, and asks
// the queue again only when the state can have changed (their number came up, sold out, opened).
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { type CallOptions, type Client, Code, ConnectError } from "@connectrpc/connect";
import { type QueueService, QueueState, type QueueStatus } from "#gen/ticketing/queue/v1/queue_pb.js";
import { asCaller, asVouching, type Caller, type ConcurrencyLimit, KeyedBatcher } from "#platform";
import type { RoomSnapshots, RoomView } from "./room-snapshots.ts";

export type PlaceState = "waiting" | "admitted" | "sold_out" | "closed" | "not_required";

export interface Place {
  state: PlaceState;
  number: number;
  position: number;
  ahead: number;
  estimatedWaitSeconds: number | undefined;
  admissionToken: string | undefined;
  shoppingEndsAtMs: number | undefined;
  opensAtMs: number | undefined;
}

export const stateOf: Record<number, PlaceState> = {
  [QueueState.WAITING]: "waiting",
  [QueueState.ADMITTED]: "admitted",
  [QueueState.SOLD_OUT]: "sold_out",
  [QueueState.CLOSED]: "closed",
  [QueueState.NOT_REQUIRED]: "not_required",
};

export function placeOf(status: QueueStatus | undefined): Place {
  return {
    state: stateOf[status?.state ?? QueueState.NOT_REQUIRED] ?? "not_required",
    number: Number(status?.number ?? 0n),
    position: Number(status?.position ?? 0n),
    ahead: Number(status?.ahead ?? 0n),
    estimatedWaitSeconds: status?.estimatedWaitSeconds,
    admissionToken: status?.admissionToken || undefined,
    shoppingEndsAtMs: status?.shoppingEndsAt ? timestampMs(status.shoppingEndsAt) : undefined,
    opensAtMs: status?.opensAt ? timestampMs(status.opensAt) : undefined,
  };
}

export const notRequired: Place = placeOf(undefined);

const maxKnown = 200_000;
/** Most joins or status reads in one batch call (the queue service accepts up to 1,000). */
const maxBatch = 256;

const keyOf = (eventId: string, caller: Caller) => `${eventId}|${caller.userId}`;

export class QueuePlaces {
  private readonly known = new Map<string, Place>();
  /**
   * Joins of one event go to the queue together: the ones that arrive while a batch is in flight
   * make the next one. An onsale's opening brings thousands of joins a second to each edge, and
   * a call per join was most of a join's cost (two Node servers, an RPC, a token signed and
   * verified); a join while the event is quiet still goes out at once, alone.
   */
  private readonly joins = new KeyedBatcher<string, Caller, Place>(
    (eventId, callers) => this.joinBatch(eventId, callers),
    maxBatch,
  );
  /** Status reads the queue must answer, gathered the same way: at the opening draw, every pre-queue waiter's. */
  private readonly asks = new KeyedBatcher<string, Caller, Place | undefined>(
    (eventId, callers) => this.statusBatch(eventId, callers),
    maxBatch,
  );

  constructor(
    private readonly queue: Client<typeof QueueService>,
    private readonly rooms: RoomSnapshots,
    /**
     * Joins and status calls this process has in flight to the queue at once. At the opening
     * every pre-queue waiter needs their drawn number in the same second; the rest wait here.
     */
    private readonly calls: ConcurrencyLimit,
    private readonly now: () => number = Date.now,
  ) {}

  async join(eventId: string, caller: Caller): Promise<Place> {
    return this.remember(eventId, caller, await this.joins.submit(eventId, caller));
  }

  /** The caller's place now (NotFound from the queue if they never joined). */
  async status(eventId: string, caller: Caller): Promise<Place> {
    const room = await this.rooms.get(eventId);
    return this.statusIn(eventId, caller, room);
  }

  /** The caller's place given counters already at hand (streams pass each poll's). */
  async statusIn(eventId: string, caller: Caller, room: RoomView): Promise<Place> {
    if (!room.enabled) return notRequired;
    const known = this.known.get(keyOf(eventId, caller));
    const derived = known && this.derive(known, room);
    if (derived) return derived;
    const asked = await this.asks.submit(eventId, caller);
    if (!asked) throw new ConnectError("you are not in this event's queue: join it first", Code.NotFound);
    return this.remember(eventId, caller, asked);
  }

  /**
   * Frees the caller's shopping slot after a booking; best effort, the window ends it anyway.
   * Behind a load balancer the booking often reaches another edge than the one that told the
   * buyer they were admitted, so an admission token on the booking counts as much as this
   * process's memory of the place (the check already let the booking through with it).
   */
  finished(eventId: string, caller: Caller, admissionToken: string): void {
    const known = this.known.get(keyOf(eventId, caller));
    if (known?.state !== "admitted" && !admissionToken) return;
    this.queue.finishShopping({ eventId }, asCaller(caller)).catch(() => undefined);
  }

  private async joinBatch(eventId: string, callers: Caller[]): Promise<Place[]> {
    const statuses = await this.vouched(eventId, callers, async (req, options) => {
      return (await this.queue.joinQueueBatch(req, options)).statuses;
    });
    return statuses.map(placeOf);
  }

  /** Places of callers who joined; undefined for one who never did. */
  private async statusBatch(eventId: string, callers: Caller[]): Promise<(Place | undefined)[]> {
    const entries = await this.vouched(eventId, callers, async (req, options) => {
      return (await this.queue.getQueueStatusBatch(req, options)).entries;
    });
    return entries.map((entry) => (entry.status ? placeOf(entry.status) : undefined));
  }

  /** One batch call to the queue for `callers`, vouched for; its answers in the callers' order. */
  private async vouched<T>(
    eventId: string,
    callers: Caller[],
    call: (req: { eventId: string; userIds: string[] }, options: CallOptions) => Promise<T[]>,
  ): Promise<T[]> {
    const userIds = callers.map((caller) => caller.userId);
    const answers = await this.calls.run(() => call({ eventId, userIds }, asVouching(eventId, userIds)));
    if (answers.length !== userIds.length)
      throw new Error(`the queue answered ${answers.length} places for ${userIds.length} callers`);
    return answers;
  }

  /** The place from counters alone, or undefined when only the queue can tell. */
  private derive(known: Place, room: RoomView): Place | undefined {
    if (known.state === "admitted" && known.shoppingEndsAtMs !== undefined)
      return this.now() < known.shoppingEndsAtMs ? known : undefined;
    if (known.state === "sold_out" && room.soldOut) return known;
    // Sold out reaches every waiter from the shared counters alone: no call per waiter at that moment.
    if (known.state === "waiting" && room.soldOut && (known.number === 0 || known.number > room.serving))
      return { ...known, state: "sold_out", position: 0, ahead: 0, estimatedWaitSeconds: undefined };
    // In the pre-queue nothing changes until the draw at opening.
    if (known.state === "waiting" && known.number === 0) return room.opened ? undefined : known;
    if (known.state !== "waiting" || known.number === 0 || room.soldOut || known.number <= room.serving)
      return undefined;
    const position = known.number - room.serving;
    return {
      ...known,
      position,
      ahead: position - 1,
      estimatedWaitSeconds:
        room.ratePerMinute > 0 ? Math.ceil((position * 60) / room.ratePerMinute) : undefined,
    };
  }

  private remember(eventId: string, caller: Caller, place: Place): Place {
    if (place.state === "not_required") return place;
    const key = keyOf(eventId, caller);
    if (this.known.size >= maxKnown && !this.known.has(key))
      this.known.delete(this.known.keys().next().value as string);
    this.known.set(key, place);
    return place;
  }
}
