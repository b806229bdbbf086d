// What Inventory says about each hit's tickets: the lowest available price, or that every ticket
// is sold. One batched call per result page, remembered briefly. A nicety: when Inventory is slow
// or away, results go out without either.
import type { Client } from "@connectrpc/connect";
import type { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";

/** An event's tickets as far as a result card cares. */
export type TicketSupply = { minPriceCents: bigint } | { soldOut: true };

export interface PriceLookup {
  /** Per event id, for the ids Inventory answered about and that have tickets. */
  supply(eventIds: string[]): Promise<Map<string, TicketSupply>>;
}

export const noPrices: PriceLookup = {
  supply: async () => new Map(),
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
  private readonly cache = new Map<string, { supply: TicketSupply | null; until: number }>();
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

  async supply(eventIds: string[]): Promise<Map<string, TicketSupply>> {
    const now = this.now();
    const missing = eventIds.filter((id) => (this.cache.get(id)?.until ?? 0) <= now);
    if (missing.length > 0 && now >= this.downUntil) {
      try {
        const res = await this.inventory.getPriceRanges({ eventIds: missing }, { timeoutMs: this.timeoutMs });
        if (this.cache.size > 50_000) this.cache.clear();
        const found = new Map<string, TicketSupply>(
          res.ranges.map((r) => [r.eventId, { minPriceCents: r.minPriceCents }]),
        );
        for (const id of res.soldOutEventIds) found.set(id, { soldOut: true });
        for (const id of missing)
          this.cache.set(id, { supply: found.get(id) ?? null, until: now + this.ttlMs });
      } catch {
        this.downUntil = now + this.cooldownMs;
      }
    }
    const out = new Map<string, TicketSupply>();
    for (const id of eventIds) {
      // An expired answer is not shown: a stale "from $45" (or "sold out") is worse than none.
      const entry = this.cache.get(id);
      if (entry && entry.until > now && entry.supply !== null) out.set(id, entry.supply);
    }
    return out;
  }
}
