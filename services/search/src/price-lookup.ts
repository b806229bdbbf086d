// Lowest available prices from Inventory, one batched call per result page, remembered briefly.
// Prices are a nicety: when Inventory is slow or away, results go out without them.
import type { Client } from "@connectrpc/connect";
import type { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";

export interface PriceLookup {
  /** Lowest available price per event id, for the ids whose price is known. */
  minPrices(eventIds: string[]): Promise<Map<string, bigint>>;
}

export const noPrices: PriceLookup = {
  minPrices: async () => new Map(),
};

export interface InventoryPricesOptions {
  /** How long a price (or its absence) is reused. */
  ttlMs?: number;
  /** Longest wait for Inventory before answering without prices. */
  timeoutMs?: number;
  /** After a failure, how long Inventory is not asked at all. */
  cooldownMs?: number;
  now?: () => number;
}

export class InventoryPrices implements PriceLookup {
  private readonly cache = new Map<string, { price: bigint | null; until: number }>();
  private downUntil = 0;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(
    private readonly inventory: Client<typeof InventoryService>,
    options: InventoryPricesOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 200;
    this.cooldownMs = options.cooldownMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  async minPrices(eventIds: string[]): Promise<Map<string, bigint>> {
    const now = this.now();
    const missing = eventIds.filter((id) => (this.cache.get(id)?.until ?? 0) <= now);
    if (missing.length > 0 && now >= this.downUntil) {
      try {
        const res = await this.inventory.getPriceRanges({ eventIds: missing }, { timeoutMs: this.timeoutMs });
        if (this.cache.size > 50_000) this.cache.clear();
        const found = new Map(res.ranges.map((r) => [r.eventId, r.minPriceCents]));
        for (const id of missing)
          this.cache.set(id, { price: found.get(id) ?? null, until: now + this.ttlMs });
      } catch {
        this.downUntil = now + this.cooldownMs;
      }
    }
    const out = new Map<string, bigint>();
    for (const id of eventIds) {
      // An expired price is not shown: a stale "from $45" is worse than none.
      const entry = this.cache.get(id);
      if (entry && entry.until > now && entry.price !== null) out.set(id, entry.price);
    }
    return out;
  }
}
