import type { Orm } from "#platform";
import { QueueSettingsRow } from "../entities/queue-settings-entity.ts";

export interface RoomSettings {
  eventId: string;
  enabled: boolean;
  maxActiveShoppers: number;
  admissionsPerMinute: number;
  shoppingWindowSeconds: number;
  opensAt: Date;
}

/** Settings an event has before an admin sets any: no waiting room. */
export const defaultSettings = (eventId: string, opensAt: Date): RoomSettings => ({
  eventId,
  enabled: false,
  maxActiveShoppers: 1000,
  admissionsPerMinute: 6000,
  shoppingWindowSeconds: 600,
  opensAt,
});

const toSettings = (row: RoomSettings): RoomSettings => ({
  eventId: row.eventId,
  enabled: row.enabled,
  maxActiveShoppers: row.maxActiveShoppers,
  admissionsPerMinute: row.admissionsPerMinute,
  shoppingWindowSeconds: row.shoppingWindowSeconds,
  opensAt: row.opensAt,
});

/**
 * `queue.queue_settings`, read through a short in-process cache: every join and status needs the
 * settings, and they change only when an admin writes them. A write here is seen by other replicas
 * within `cacheMs`.
 */
export class SettingsStore {
  private readonly cache = new Map<string, { value: RoomSettings | null; atMs: number }>();

  constructor(
    private readonly orm: Orm,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The event's settings, or null when none were ever written. */
  async get(eventId: string): Promise<RoomSettings | null> {
    const hit = this.cache.get(eventId);
    if (hit && this.now() - hit.atMs < this.cacheMs) return hit.value;
    const row = await this.orm.em.fork().findOne(QueueSettingsRow, { eventId });
    const value = row ? toSettings(row) : null;
    this.cache.set(eventId, { value, atMs: this.now() });
    return value;
  }

  async put(settings: RoomSettings): Promise<RoomSettings> {
    const em = this.orm.em.fork();
    await em.upsert(QueueSettingsRow, { ...settings, updatedAt: new Date(this.now()) });
    this.cache.set(settings.eventId, { value: settings, atMs: this.now() });
    return settings;
  }

  /** Every event whose waiting room is on: the admission loop's work list. */
  async enabled(): Promise<RoomSettings[]> {
    const rows = await this.orm.em.fork().find(QueueSettingsRow, { enabled: true });
    return rows.map(toSettings);
  }
}
