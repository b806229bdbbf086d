import type { Client } from "@connectrpc/connect";
import type { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import type { Logger } from "#platform";
import type { RoomStore } from "../room/room-store.ts";
import type { RoomSettings, SettingsStore } from "../settings/settings-store.ts";
import type { LeaderLease } from "./leader-lease.ts";

export interface AdmissionLoopDeps {
  rooms: RoomStore;
  settings: SettingsStore;
  lease: LeaderLease;
  inventory: Client<typeof InventoryService>;
  logger: Logger;
  now: () => number;
  tickMs: number;
}

/**
 * Advances every enabled room: each tick, for the rooms this replica leads, asks inventory how
 * many seats are available and held, then runs one atomic admission step. Admission follows
 * inventory: no answer from inventory, no admission (the waiters simply wait a tick longer).
 */
export class AdmissionLoop {
  private timer: NodeJS.Timeout | undefined;
  private rooms: RoomSettings[] = [];
  private roomsAtMs = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: AdmissionLoopDeps) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.running ??= this.tick().finally(() => {
        this.running = undefined;
      });
    }, this.deps.tickMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await Promise.all(
      this.rooms.map((r) => this.deps.lease.release(this.deps.rooms.keys(r.eventId).leader).catch(() => {})),
    );
  }

  /** One pass over the enabled rooms; public for tests that drive the loop step by step. */
  async tick(reloadRooms = false): Promise<void> {
    const now = this.deps.now();
    try {
      if (reloadRooms || now - this.roomsAtMs > 2000) {
        this.rooms = await this.deps.settings.enabled();
        this.roomsAtMs = now;
      }
    } catch (err) {
      this.deps.logger.warn(
        { err: (err as Error).message },
        "queue settings unreadable; keeping the last list",
      );
    }
    await Promise.all(this.rooms.map((room) => this.step(room)));
  }

  private async step(room: RoomSettings): Promise<void> {
    try {
      if (!(await this.deps.lease.hold(this.deps.rooms.keys(room.eventId).leader))) return;
      const now = this.deps.now();
      if (now < room.opensAt.getTime()) return;
      const { sections } = await this.deps.inventory.getAvailability(
        { eventId: room.eventId },
        { timeoutMs: Math.max(1000, this.deps.tickMs * 4) },
      );
      let available = 0;
      let held = 0;
      for (const s of sections) {
        available += s.available;
        held += s.held;
      }
      const result = await this.deps.rooms.admit(room.eventId, {
        nowMs: this.deps.now(),
        opensAtMs: room.opensAt.getTime(),
        maxActiveShoppers: room.maxActiveShoppers,
        admissionsPerMinute: room.admissionsPerMinute,
        shoppingWindowMs: room.shoppingWindowSeconds * 1000,
        available,
        held,
      });
      if (result.phase === "ran" && result.admitted > 0) {
        this.deps.logger.debug({ eventId: room.eventId, ...result }, "admitted");
      }
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error).message, eventId: room.eventId }, "admission step failed");
    }
  }
}
