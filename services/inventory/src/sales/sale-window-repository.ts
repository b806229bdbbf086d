import type { SqlPools } from "#platform";
import { type Row, selectList } from "../db/rows.ts";
import { EventSale } from "../entities/event-sale-entity.ts";
import type { SaleWindow } from "./sale-window.ts";

type SaleRow = Row<typeof EventSale>;

const saleColumns = selectList(EventSale, "s", ["updatedAt"]);
const toWindow = ({ eventId, status, startsAt, saleStartsAt, saleEndsAt, version }: SaleRow): SaleWindow => ({
  eventId,
  status,
  startsAt,
  saleStartsAt,
  saleEndsAt,
  version,
});

/**
 * `inventory.event_sale` and `inventory.feed_position`, as named statements on the primary (see
 * ../db/README.md). Written rarely (provisioning, catalog changes) and read once per event per
 * process (SaleWindows caches).
 */
export class SaleWindowRepository {
  constructor(private readonly db: SqlPools) {}

  async find(eventId: string): Promise<SaleWindow | undefined> {
    const [row] = await this.db.query<SaleRow>(
      "inventory.sale-window",
      `select ${saleColumns} from inventory.event_sale s where s.event_id = $1`,
      [eventId],
      { primary: true },
    );
    return row && toWindow(row);
  }

  /**
   * Stores the windows, each only over an older copy (a lower catalog version), and, when given,
   * the feed position they bring the copy to — in one transaction. Returns how many were stored.
   */
  async save(windows: readonly SaleWindow[], position?: { feed: string; sequence: bigint }): Promise<number> {
    return this.db.transaction(async (tx) => {
      const stored =
        windows.length === 0
          ? []
          : await tx.query(
              "inventory.save-sale-windows",
              `insert into inventory.event_sale (event_id, status, starts_at, sale_starts_at, sale_ends_at, version, updated_at)
               select (w->>'eventId')::uuid, w->>'status', (w->>'startsAt')::timestamptz,
                      (w->>'saleStartsAt')::timestamptz, (w->>'saleEndsAt')::timestamptz, (w->>'version')::int, now()
                 from jsonb_array_elements($1::jsonb) w
               on conflict (event_id) do update
                  set status = excluded.status, starts_at = excluded.starts_at,
                      sale_starts_at = excluded.sale_starts_at, sale_ends_at = excluded.sale_ends_at,
                      version = excluded.version, updated_at = now()
                where event_sale.version <= excluded.version
               returning event_id`,
              [JSON.stringify(windows)],
            );
      if (position) {
        await tx.query(
          "inventory.save-feed-position",
          `insert into inventory.feed_position (feed, applied_sequence) values ($1, $2)
           on conflict (feed) do update
              set applied_sequence = greatest(feed_position.applied_sequence, excluded.applied_sequence)`,
          [position.feed, position.sequence.toString()],
        );
      }
      return stored.length;
    });
  }

  /** Events the catalog removed: no window, so no sale. */
  async remove(eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.db.query(
      "inventory.remove-sale-windows",
      "delete from inventory.event_sale where event_id = any($1::uuid[])",
      [eventIds],
      { primary: true },
    );
  }

  async position(feed: string): Promise<bigint> {
    const [row] = await this.db.query<{ s: string }>(
      "inventory.feed-position",
      "select applied_sequence::text as s from inventory.feed_position where feed = $1",
      [feed],
      { primary: true },
    );
    return BigInt(row?.s ?? "0");
  }
}
