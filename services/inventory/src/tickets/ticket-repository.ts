import type { Queryable, SqlPools } from "#platform";
import { type Row, selectList } from "../db/rows.ts";
import { Ticket } from "../entities/ticket-entity.ts";
import { GroupedSales, type SaleOutcome } from "./grouped-sales.ts";

/** A ticket as read (its `updatedAt` is bookkeeping nothing reads). */
export type TicketRow = Omit<Row<typeof Ticket>, "updatedAt"> & {
  /** The buyer of a SOLD ticket, when the statement asked for it (booking reads do). */
  owner?: string | null;
};
export type StoredStatus = TicketRow["status"];

export interface SectionCounts {
  sectionId: string;
  available: number;
  held: number;
  sold: number;
  minPriceCents: number;
  maxPriceCents: number;
  currency: string;
}

export type NewTicket = Pick<
  TicketRow,
  "eventId" | "sectionId" | "rowLabel" | "seat" | "priceCents" | "currency"
>;

/** Where a statement runs: inside the caller's transaction, when given one. */
export interface InTransaction {
  tx?: Queryable | undefined;
}

export const ticketColumns = selectList(Ticket, "t", ["updatedAt"]);

/**
 * Two probes per event into the available-price index (migration AvailablePriceIndex), however
 * many seats the event has: an aggregate over a stadium's tickets per search result was slower
 * than search's deadline for prices.
 */
export const priceRangesSql = `
  select e.id as "eventId", lo.price_cents::float8 as min, hi.price_cents::float8 as max, lo.currency
    from unnest($1::uuid[]) as e(id)
    cross join lateral (
      select price_cents, currency from inventory.ticket
       where event_id = e.id and status = 'AVAILABLE' order by price_cents limit 1) lo
    cross join lateral (
      select price_cents from inventory.ticket
       where event_id = e.id and status = 'AVAILABLE' order by price_cents desc limit 1) hi`;

// The fenced sale's statement lives with its grouping; exported here as before for the bench.
export { sellSql } from "./grouped-sales.ts";

/**
 * Reads and writes `inventory.ticket`, every statement a named prepared one (see ../db/README.md).
 * Held ids come from the caller: holds live in Redis. Display reads may go to the replica; what
 * decides a hold or a sale reads the primary.
 */
export class TicketRepository {
  /** Concurrent bookings' sales share a statement and its commit (see grouped-sales.ts). */
  private readonly sales: GroupedSales;

  constructor(private readonly db: SqlPools) {
    this.sales = new GroupedSales(db);
  }

  /** Counts per section; `heldIds` are AVAILABLE tickets currently under a lease. */
  async availability(eventId: string, heldIds: readonly string[]): Promise<SectionCounts[]> {
    return this.db.query<SectionCounts>(
      "inventory.availability",
      `select s.section_id as "sectionId", (s.available - coalesce(h.held, 0))::int as available,
              coalesce(h.held, 0)::int as held, s.sold::int as sold, s.min_price::float8 as "minPriceCents",
              s.max_price::float8 as "maxPriceCents", s.currency
         from (select section_id,
                      count(*) filter (where status = 'AVAILABLE') as available,
                      count(*) filter (where status = 'SOLD') as sold,
                      min(price_cents) as min_price, max(price_cents) as max_price, min(currency) as currency
                 from inventory.ticket
                where event_id = $1
                group by section_id) s
         -- Held seats are looked up by primary key: comparing every ticket row with every held id
         -- cost rows × holds, which is what an onsale makes large.
         left join (select section_id, count(*) as held
                      from inventory.ticket
                     where id = any($2::uuid[]) and event_id = $1 and status = 'AVAILABLE'
                     group by section_id) h using (section_id)
        order by s.section_id`,
      [eventId, heldIds],
    );
  }

  /** Tickets of an event (optionally one section) in section, row and seat order. */
  async list(eventId: string, sectionId?: string): Promise<TicketRow[]> {
    return this.db.query<TicketRow>(
      "inventory.list-tickets",
      `select ${ticketColumns} from inventory.ticket t
        where t.event_id = $1 and ($2::uuid is null or t.section_id = $2::uuid)
        order by t.section_id, length(t.row_label), t.row_label, t.seat`,
      [eventId, sectionId ?? null],
    );
  }

  /** Lowest and highest available price per event; events with nothing available are left out. */
  async priceRanges(
    eventIds: readonly string[],
  ): Promise<{ eventId: string; min: number; max: number; currency: string }[]> {
    if (eventIds.length === 0) return [];
    return this.db.query("inventory.price-ranges", priceRangesSql, [eventIds]);
  }

  /**
   * Of `eventIds`, those with at least one ticket: asked only for events without an available
   * price, it tells "sold out" from "no tickets yet". One index probe per event.
   */
  async withTickets(eventIds: readonly string[]): Promise<string[]> {
    if (eventIds.length === 0) return [];
    const rows = await this.db.query<{ eventId: string }>(
      "inventory.events-with-tickets",
      `select e.id as "eventId" from unnest($1::uuid[]) as e(id)
        where exists (select 1 from inventory.ticket t where t.event_id = e.id)`,
      [eventIds],
    );
    return rows.map((r) => r.eventId);
  }

  /** The given tickets of one event as stored now (missing ids are simply absent). */
  async find(eventId: string, ids: readonly string[]): Promise<TicketRow[]> {
    return this.db.query<TicketRow>(
      "inventory.find-tickets",
      // By primary key alone, then by event: a prepared statement may run on a generic plan, and
      // one that picked the (event, section, row, seat) index scanned a whole stadium per call.
      `with by_id as materialized (
         select ${ticketColumns} from inventory.ticket t where t.id = any($1::uuid[])
       )
       select * from by_id where "eventId" = $2`,
      [ids, eventId],
      { primary: true },
    );
  }

  /**
   * The fenced sale as one self-committing statement: it locks each ticket only if it is still
   * AVAILABLE at the version the booking read under its lease, and only when all of them are, and the booking
   * is still PENDING, flips them to SOLD (version + 1, this booking) and records the payment
   * reference on the booking. Every ticket or none; a reconciler that settled the booking first
   * makes it change nothing. Returns the tickets that were still sellable and whether the sale
   * happened.
   */
  async sell(
    bookingId: string,
    fenced: readonly { id: string; version: number }[],
    paymentRef: string,
    now: Date,
  ): Promise<SaleOutcome> {
    return this.sales.sell({ bookingId, fenced, paymentRef, now });
  }

  /** How many tickets a booking's sale transaction committed (0 or all of them). */
  async countSoldTo(bookingId: string, { tx }: InTransaction = {}): Promise<number> {
    const [row] = await (tx ?? this.db).query<{ n: number }>(
      "inventory.count-sold-to",
      "select count(*)::int as n from inventory.ticket where booking_id = $1",
      [bookingId],
      { primary: true },
    );
    return row?.n ?? 0;
  }

  async countForEvent(eventId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      "inventory.count-for-event",
      "select count(*)::int as n from inventory.ticket where event_id = $1",
      [eventId],
      { primary: true },
    );
    return row?.n ?? 0;
  }

  /** The price(s) and currency of an event's tickets per section, as provisioned. */
  async sectionPrices(
    eventId: string,
  ): Promise<{ sectionId: string; minCents: number; maxCents: number; currency: string }[]> {
    return this.db.query(
      "inventory.section-prices",
      `select section_id as "sectionId", min(price_cents)::float8 as "minCents",
              max(price_cents)::float8 as "maxCents", min(currency) as currency
         from inventory.ticket where event_id = $1 group by section_id`,
      [eventId],
      { primary: true },
    );
  }

  /** Inserts tickets that do not exist yet (by event, section, row, seat); returns how many were new. */
  async insertMissing(tickets: readonly NewTicket[]): Promise<number> {
    let created = 0;
    // Chunks keep each statement's parameter arrays modest for stadium-sized seat maps.
    for (let i = 0; i < tickets.length; i += 5000) {
      const chunk = tickets.slice(i, i + 5000);
      const [row] = await this.db.query<{ n: number }>(
        "inventory.insert-missing-tickets",
        `with inserted as (
           insert into inventory.ticket (event_id, section_id, row_label, seat, price_cents, currency)
           select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::bigint[], $6::text[])
           on conflict (event_id, section_id, row_label, seat) do nothing
           returning 1
         )
         select count(*)::int as n from inserted`,
        [
          chunk.map((t) => t.eventId),
          chunk.map((t) => t.sectionId),
          chunk.map((t) => t.rowLabel),
          chunk.map((t) => t.seat),
          chunk.map((t) => t.priceCents),
          chunk.map((t) => t.currency),
        ],
        { primary: true },
      );
      created += row?.n ?? 0;
    }
    return created;
  }
}
