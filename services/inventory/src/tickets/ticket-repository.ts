import { sql } from "kysely";
import type { EntityManager, Orm, SqlPools } from "#platform";
import { executor, toNumber, uuidArray } from "./sql.ts";

export type StoredStatus = "AVAILABLE" | "SOLD";

export interface TicketRow {
  id: string;
  eventId: string;
  sectionId: string;
  rowLabel: string;
  seat: number;
  priceCents: number;
  currency: string;
  status: StoredStatus;
  version: number;
  /** The buyer of a SOLD ticket, when the query asked for it (booking reads do). */
  owner?: string | null;
}

export interface SectionCounts {
  sectionId: string;
  available: number;
  held: number;
  sold: number;
  minPriceCents: number;
  maxPriceCents: number;
  currency: string;
}

export interface NewTicket {
  eventId: string;
  sectionId: string;
  rowLabel: string;
  seat: number;
  priceCents: number;
  currency: string;
}

export interface RawTicket {
  id: string;
  event_id: string;
  section_id: string;
  row_label: string;
  seat: number;
  price_cents: string;
  currency: string;
  status: StoredStatus;
  version: number;
  owner?: string | null;
}

/**
 * Two probes per event into the available-price index (migration AvailablePriceIndex), however
 * many seats the event has: an aggregate over a stadium's tickets per search result was slower
 * than search's deadline for prices.
 */
export const priceRangesSql = `
  select e.id as event_id, lo.price_cents as min, hi.price_cents as max, lo.currency
    from unnest($1::uuid[]) as e(id)
    cross join lateral (
      select price_cents, currency from inventory.ticket
       where event_id = e.id and status = 'AVAILABLE' order by price_cents limit 1) lo
    cross join lateral (
      select price_cents from inventory.ticket
       where event_id = e.id and status = 'AVAILABLE' order by price_cents desc limit 1) hi`;

export const toTicket = (r: RawTicket): TicketRow => ({
  id: r.id,
  eventId: r.event_id,
  sectionId: r.section_id,
  rowLabel: r.row_label,
  seat: r.seat,
  priceCents: toNumber(r.price_cents),
  currency: r.currency,
  status: r.status,
  version: r.version,
  ...(r.owner !== undefined ? { owner: r.owner } : {}),
});

/** Reads and writes `inventory.ticket`. Held ids come from the caller: holds live in Redis. */
export class TicketRepository {
  constructor(
    private readonly orm: Orm,
    /** Named prepared statements for the hold and booking paths. */
    private readonly sql: SqlPools,
  ) {}

  /** Counts per section; `heldIds` are AVAILABLE tickets currently under a lease. */
  async availability(eventId: string, heldIds: readonly string[]): Promise<SectionCounts[]> {
    const { rows } = await sql<{
      section_id: string;
      available: string;
      held: string;
      sold: string;
      min_price: string;
      max_price: string;
      currency: string;
    }>`
      select s.section_id, s.available - coalesce(h.held, 0) as available, coalesce(h.held, 0) as held,
             s.sold, s.min_price, s.max_price, s.currency
        from (select section_id,
                     count(*) filter (where status = 'AVAILABLE') as available,
                     count(*) filter (where status = 'SOLD') as sold,
                     min(price_cents) as min_price, max(price_cents) as max_price, min(currency) as currency
                from inventory.ticket
               where event_id = ${eventId}
               group by section_id) s
        -- Held seats are looked up by primary key: comparing every ticket row with every held id
        -- cost rows × holds, which is what an onsale makes large.
        left join (select section_id, count(*) as held
                     from inventory.ticket
                    where id = any(${heldIds}::uuid[]) and event_id = ${eventId} and status = 'AVAILABLE'
                    group by section_id) h using (section_id)
       order by s.section_id`.execute(this.read());
    return rows.map((r) => ({
      sectionId: r.section_id,
      available: toNumber(r.available),
      held: toNumber(r.held),
      sold: toNumber(r.sold),
      minPriceCents: toNumber(r.min_price),
      maxPriceCents: toNumber(r.max_price),
      currency: r.currency,
    }));
  }

  /** Tickets of an event (optionally one section) in section, row and seat order. */
  async list(eventId: string, sectionId?: string): Promise<TicketRow[]> {
    const { rows } = await sql<RawTicket>`
      select id, event_id, section_id, row_label, seat, price_cents, currency, status, version
        from inventory.ticket
       where event_id = ${eventId} and (${sectionId ?? null}::uuid is null or section_id = ${sectionId ?? null}::uuid)
       order by section_id, length(row_label), row_label, seat`.execute(this.read());
    return rows.map(toTicket);
  }

  /** Lowest and highest available price per event; events with nothing available are left out. */
  async priceRanges(
    eventIds: readonly string[],
  ): Promise<{ eventId: string; min: number; max: number; currency: string }[]> {
    if (eventIds.length === 0) return [];
    const rows = await this.sql.query<{ event_id: string; min: string; max: string; currency: string }>(
      "inventory.price-ranges",
      priceRangesSql,
      [eventIds],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      min: toNumber(r.min),
      max: toNumber(r.max),
      currency: r.currency,
    }));
  }

  /** The given tickets of one event as stored now (missing ids are simply absent). */
  async find(eventId: string, ids: readonly string[]): Promise<TicketRow[]> {
    const rows = await this.sql.query<RawTicket>(
      "inventory.find-tickets",
      // By primary key alone, then by event: a prepared statement may run on a generic plan, and
      // one that picked the (event, section, row, seat) index scanned a whole stadium per call.
      `with by_id as materialized (
         select id, event_id, section_id, row_label, seat, price_cents, currency, status, version
           from inventory.ticket
          where id = any($1::uuid[])
       )
       select * from by_id where event_id = $2`,
      [ids, eventId],
      true,
    );
    return rows.map(toTicket);
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
  ): Promise<{ sellable: string[]; sold: boolean }> {
    const [row] = await this.sql.query<{ sellable: string[] | string | null; sold: boolean }>(
      "inventory.sell",
      `with sellable as (
         select t.id
           from inventory.ticket t
           join unnest($2::uuid[], $3::int[]) as f(id, version) on t.id = f.id
          where t.version = f.version and t.status = 'AVAILABLE'
            for update of t
       ), paid as (
         update inventory.booking set payment_ref = $4, updated_at = $5
          where id = $1 and status = 'PENDING'
            and (select count(*) from sellable) = cardinality($2::uuid[])
         returning id
       ), sold as (
         update inventory.ticket t
            set status = 'SOLD', version = t.version + 1, booking_id = paid.id, updated_at = $5
           from paid
          where t.id in (select id from sellable)
         returning t.id
       )
       select (select array_agg(id) from sellable) as sellable,
              (select count(*) from sold) = cardinality($2::uuid[]) as sold`,
      [bookingId, fenced.map((f) => f.id), fenced.map((f) => f.version), paymentRef, now],
      true,
    );
    return { sellable: uuidArray(row?.sellable ?? []), sold: row?.sold === true };
  }

  /** How many tickets a booking's sale transaction committed (0 or all of them). */
  async countSoldTo(bookingId: string, em?: EntityManager): Promise<number> {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from inventory.ticket where booking_id = ${bookingId}`.execute(
      executor(this.orm, em),
    );
    return toNumber(rows[0]?.n);
  }

  async countForEvent(eventId: string): Promise<number> {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from inventory.ticket where event_id = ${eventId}`.execute(executor(this.orm));
    return toNumber(rows[0]?.n);
  }

  /** Inserts tickets that do not exist yet (by event, section, row, seat); returns how many were new. */
  async insertMissing(tickets: readonly NewTicket[], em?: EntityManager): Promise<number> {
    let created = 0;
    // Chunks keep each statement's parameter arrays modest for stadium-sized seat maps.
    for (let i = 0; i < tickets.length; i += 5000) {
      const chunk = tickets.slice(i, i + 5000);
      const result = await sql`
        insert into inventory.ticket (event_id, section_id, row_label, seat, price_cents, currency)
        select * from unnest(${chunk.map((t) => t.eventId)}::uuid[], ${chunk.map((t) => t.sectionId)}::uuid[],
                             ${chunk.map((t) => t.rowLabel)}::text[], ${chunk.map((t) => t.seat)}::int[],
                             ${chunk.map((t) => t.priceCents)}::bigint[], ${chunk.map((t) => t.currency)}::text[])
        on conflict (event_id, section_id, row_label, seat) do nothing`.execute(executor(this.orm, em));
      created += Number(result.numAffectedRows ?? 0n);
    }
    return created;
  }

  private read() {
    return this.orm.em.fork().getKysely({ type: "read" });
  }
}
