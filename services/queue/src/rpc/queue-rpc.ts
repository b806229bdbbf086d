import { timestampDate } from "@bufbuild/protobuf/wkt";
import { type Client, Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import {
  type FinishShoppingRequest,
  type GetQueueSettingsRequest,
  type GetQueueSnapshotRequest,
  type GetQueueStatusBatchRequest,
  type GetQueueStatusRequest,
  type JoinQueueBatchRequest,
  type JoinQueueRequest,
  type QueueService,
  QueueState,
  type SetQueueSettingsRequest,
} from "#gen/ticketing/queue/v1/queue_pb.js";
import {
  type AdmissionSigner,
  forwardIdentity,
  requireAdmin,
  requireCaller,
  requireVouched,
} from "#platform";
import { type PlaceStatus, placeStatus } from "../room/place-status.ts";
import type { Place, RoomCounters, RoomStore } from "../room/room-store.ts";
import { defaultSettings, type RoomSettings, type SettingsStore } from "../settings/settings-store.ts";
import type { EventLookup } from "./event-lookup.ts";
import { settingsToProto, snapshotToProto, statusToProto } from "./to-proto.ts";

export interface QueueRpcDeps {
  rooms: RoomStore;
  settings: SettingsStore;
  events: EventLookup;
  inventory: Client<typeof InventoryService>;
  signer: AdmissionSigner;
  now: () => number;
  /** How long the shared counters may be reused for a status answer. */
  countersCacheMs: number;
}

const notRequired = { state: QueueState.NOT_REQUIRED };

/** Redis trouble on the queue's own state: fail closed with a clear message, never a 500. */
async function withRedis<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ConnectError) throw err;
    throw new ConnectError(
      "the waiting room is unavailable right now (its store did not answer); your place is kept, try again shortly",
      Code.Unavailable,
    );
  }
}

/** The gRPC surface of the waiting room. */
export class QueueRpc implements ServiceImpl<typeof QueueService> {
  private readonly counterCache = new Map<string, { value: RoomCounters; atMs: number }>();

  constructor(private readonly deps: QueueRpcDeps) {}

  async joinQueue(req: JoinQueueRequest, ctx: HandlerContext) {
    const caller = requireCaller(ctx);
    const [status] = await this.join(req.eventId, [caller.userId]);
    return { status };
  }

  /** The edge's batched joins: the same join for every user its token vouches for. */
  async joinQueueBatch(req: JoinQueueBatchRequest, ctx: HandlerContext) {
    requireVouched(ctx, req.eventId, req.userIds);
    return { statuses: await this.join(req.eventId, req.userIds) };
  }

  async getQueueStatus(req: GetQueueStatusRequest, ctx: HandlerContext) {
    const caller = requireCaller(ctx);
    const [status] = await this.statuses(req.eventId, [caller.userId]);
    if (status === null)
      throw new ConnectError("you are not in this event's queue: join it first", Code.NotFound);
    return { status };
  }

  /** The edge's batched status reads; an entry without a status is a user who never joined. */
  async getQueueStatusBatch(req: GetQueueStatusBatchRequest, ctx: HandlerContext) {
    requireVouched(ctx, req.eventId, req.userIds);
    const statuses = await this.statuses(req.eventId, req.userIds);
    return { entries: statuses.map((status) => (status ? { status } : {})) };
  }

  async getQueueSnapshot(req: GetQueueSnapshotRequest) {
    const settings = await this.deps.settings.get(req.eventId);
    if (!settings?.enabled) {
      await this.deps.events.require(req.eventId);
      return { snapshot: { eventId: req.eventId, enabled: false } };
    }
    const counters = await withRedis(() => this.deps.rooms.counters(req.eventId));
    return { snapshot: snapshotToProto(settings, counters) };
  }

  async finishShopping(req: FinishShoppingRequest, ctx: HandlerContext) {
    const caller = requireCaller(ctx);
    await withRedis(() => this.deps.rooms.finish(req.eventId, caller.userId));
    return {};
  }

  async getQueueSettings(req: GetQueueSettingsRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const stored = await this.deps.settings.get(req.eventId);
    if (stored) return { settings: settingsToProto(stored) };
    const facts = await this.deps.events.require(req.eventId);
    return {
      settings: settingsToProto(
        defaultSettings(req.eventId, facts.onSaleStartsAt ?? new Date(this.deps.now())),
      ),
    };
  }

  /**
   * Inventory learns first whether the event needs admission tokens, then the settings are
   * stored: if the second step fails the admin gets the error and retries (both are idempotent).
   */
  async setQueueSettings(req: SetQueueSettingsRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const input = req.settings;
    if (!input) throw new ConnectError("settings are required", Code.InvalidArgument);
    const facts = await this.deps.events.require(req.eventId);
    const settings: RoomSettings = {
      eventId: req.eventId,
      enabled: input.enabled,
      maxActiveShoppers: input.maxActiveShoppers,
      admissionsPerMinute: input.admissionsPerMinute,
      shoppingWindowSeconds: input.shoppingWindowSeconds,
      opensAt: input.opensAt
        ? timestampDate(input.opensAt)
        : (facts.onSaleStartsAt ?? new Date(this.deps.now())),
    };
    await this.deps.inventory.setWaitingRoom(
      { eventId: req.eventId, enabled: settings.enabled },
      // The admin's own token: the edge signed it for inventory too.
      forwardIdentity(ctx, ctx.signal),
    );
    return { settings: settingsToProto(await this.deps.settings.put(settings)) };
  }

  /** The event's room if it has an enabled one; undefined for an event without; NotFound for no event. */
  private async room(eventId: string): Promise<RoomSettings | undefined> {
    const settings = await this.deps.settings.get(eventId);
    if (settings?.enabled) return settings;
    await this.deps.events.require(eventId);
    return undefined;
  }

  /** Gives each user a place in the event's queue (one Redis call) and answers their statuses, in order. */
  private async join(eventId: string, userIds: readonly string[]) {
    const statuses = await this.answer(eventId, userIds, (room) =>
      this.deps.rooms.join(eventId, userIds, this.deps.now(), room.opensAt.getTime()),
    );
    // Joining places everyone: no entry is null.
    return statuses as Exclude<(typeof statuses)[number], null>[];
  }

  /** Each user's status, in order; null for a user who never joined. */
  private statuses(eventId: string, userIds: readonly string[]) {
    return this.answer(eventId, userIds, () => this.deps.rooms.places(eventId, userIds));
  }

  /** The statuses of the places `read` finds in the event's room (not_required without one). */
  private async answer(
    eventId: string,
    userIds: readonly string[],
    read: (room: RoomSettings) => Promise<(Place | undefined)[]>,
  ) {
    const room = await this.room(eventId);
    if (!room) return userIds.map(() => notRequired);
    return withRedis(async () => {
      const places = await read(room);
      const counters = await this.counters(eventId);
      return Promise.all(
        places.map((place, i) => (place ? this.statusOf(room, userIds[i] as string, place, counters) : null)),
      );
    });
  }

  private async statusOf(
    room: RoomSettings,
    userId: string,
    place: Place,
    counters: Pick<RoomCounters, "ratePerMinute">,
  ) {
    const status: PlaceStatus = placeStatus(place, counters, this.deps.now());
    let token = place.token;
    if (status.state === "admitted" && !token && status.shoppingEndsAtMs !== undefined) {
      token = await this.deps.signer.sign(
        { userId, eventId: room.eventId, expiresAtMs: status.shoppingEndsAtMs },
        status.shoppingEndsAtMs - room.shoppingWindowSeconds * 1000,
      );
      await this.deps.rooms.keepToken(room.eventId, userId, token);
    }
    return statusToProto(status, status.state === "admitted" ? token : undefined, room.opensAt);
  }

  /** The room's shared counters, reused for `countersCacheMs`: they only feed the wait estimate here. */
  private async counters(eventId: string): Promise<Pick<RoomCounters, "ratePerMinute">> {
    const hit = this.counterCache.get(eventId);
    if (hit && this.deps.now() - hit.atMs < this.deps.countersCacheMs) return hit.value;
    const value = await this.deps.rooms.counters(eventId);
    this.counterCache.set(eventId, { value, atMs: this.deps.now() });
    return value;
  }
}
