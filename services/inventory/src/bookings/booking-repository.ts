import { sql } from "kysely";
import type { EntityManager, Orm, SqlPools } from "#platform";
import { executor, toDate, toNumber, uuidArray } from "../tickets/sql.ts";
import { type RawTicket, type TicketRow, toTicket } from "../tickets/ticket-repository.ts";

export type BookingStatusText = "PENDING" | "CONFIRMED" | "FAILED";

export interface BookingRow {
  id: string;
  userId: string;
  eventId: string;
  ticketIds: string[];
  totalCents: number;
  currency: string;
  status: BookingStatusText;
  idempotencyKey: string;
  requestHash: string;
  paymentProvider: string;
  paymentRef: string | null;
  cardBrand: string;
  cardLast4: string;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface RawBooking {
  id: string;
  user_id: string;
  event_id: string;
  ticket_ids: string[] | string;
  total_cents: string;
  currency: string;
  status: BookingStatusText;
  idempotency_key: string;
  request_hash: string;
  payment_provider: string;
  payment_ref: string | null;
  card_brand: string;
  card_last4: string;
  failure_reason: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

const toBooking = (r: RawBooking): BookingRow => ({
  id: r.id,
  userId: r.user_id,
  eventId: r.event_id,
  ticketIds: uuidArray(r.ticket_ids),
  totalCents: toNumber(r.total_cents),
  currency: r.currency,
  status: r.status,
  idempotencyKey: r.idempotency_key,
  requestHash: r.request_hash,
  paymentProvider: r.payment_provider,
  paymentRef: r.payment_ref,
  cardBrand: r.card_brand,
  cardLast4: r.card_last4,
  failureReason: r.failure_reason,
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
});

/**
 * Reads and writes `inventory.booking`. Every status change is conditional on PENDING. The
 * booking flow's own statements are named prepared statements on `sql` (planned once per
 * connection); the rest goes through the ORM, inside the caller's transaction when given one.
 */
export class BookingRepository {
  constructor(
    private readonly orm: Orm,
    private readonly sql: SqlPools,
  ) {}

  async findById(id: string, em?: EntityManager): Promise<BookingRow | undefined> {
    const { rows } = await sql<RawBooking>`
      select * from inventory.booking where id = ${id}`.execute(executor(this.orm, em));
    return rows[0] && toBooking(rows[0]);
  }

  /** The booking made with this (user, Idempotency-Key); asked on every refused booking lease. */
  async findByKey(userId: string, idempotencyKey: string): Promise<BookingRow | undefined> {
    const [row] = await this.sql.query<RawBooking>(
      "inventory.booking-by-key",
      "select * from inventory.booking where user_id = $1 and idempotency_key = $2",
      [userId, idempotencyKey],
      true,
    );
    return row && toBooking(row);
  }

  /**
   * A booking's first and only statement before the payment, one round trip and one commit: the
   * booking already made with this (user, Idempotency-Key), if any; the requested tickets of the
   * event as stored now (with the buyer of a sold one); and — only when there is no previous
   * booking and every ticket exists, is AVAILABLE and is priced in one currency — the PENDING row
   * that claims the key. The PENDING row is durable before any payment is authorized, so the
   * reconciler can always find what a crash left behind. `opened` is false when nothing was
   * inserted: a previous booking, a ticket check the caller will report, or the same key racing.
   */
  async open(
    b: Omit<BookingRow, "status" | "paymentRef" | "failureReason" | "updatedAt" | "totalCents" | "currency">,
  ): Promise<{ previous: BookingRow | undefined; tickets: TicketRow[]; opened: boolean }> {
    const [row] = await this.sql.query<{
      previous: RawBooking | null;
      tickets: RawTicket[] | null;
      opened: boolean;
    }>(
      "inventory.open-booking",
      `with previous as (
         select row_to_json(b) as booking from inventory.booking b
          where b.user_id = $1 and b.idempotency_key = $2
       ), by_id as materialized (
         -- By primary key alone, filtered by event after: see TicketRepository.find.
         select t.id, t.event_id, t.section_id, t.row_label, t.seat, t.price_cents, t.currency, t.status,
                t.version, t.booking_id
           from inventory.ticket t
          where t.id = any($3::uuid[])
       ), requested as (
         select t.*, o.user_id as owner
           from by_id t
           left join inventory.booking o on o.id = t.booking_id
          where t.event_id = $4
       ), bookable as (
         select sum(price_cents) as total, min(currency) as currency from requested
         having count(*) = cardinality($3::uuid[]) and bool_and(status = 'AVAILABLE')
            and count(distinct currency) = 1
       ), opened as (
         insert into inventory.booking (id, user_id, event_id, ticket_ids, total_cents, currency, status,
                                        idempotency_key, request_hash, payment_provider, card_brand,
                                        card_last4, created_at, updated_at)
         select $5, $1, $4, $3::uuid[], total, currency, 'PENDING', $2, $6, $7, $8, $9, $10, $10
           from bookable where not exists (select 1 from previous)
         on conflict (user_id, idempotency_key) do nothing
         returning id
       )
       select (select booking from previous) as previous,
              (select json_agg(r) from (select id, event_id, section_id, row_label, seat,
                                               price_cents::text as price_cents, currency, status, version,
                                               owner from requested) r) as tickets,
              exists (select 1 from opened) as opened`,
      [
        b.userId,
        b.idempotencyKey,
        b.ticketIds,
        b.eventId,
        b.id,
        b.requestHash,
        b.paymentProvider,
        b.cardBrand,
        b.cardLast4,
        b.createdAt,
      ],
      true,
    );
    return {
      previous: row?.previous ? toBooking(row.previous) : undefined,
      tickets: (row?.tickets ?? []).map(toTicket),
      opened: row?.opened === true,
    };
  }

  async confirm(id: string, now: Date, em?: EntityManager): Promise<boolean> {
    const { rows } = await sql<{ id: string }>`
      update inventory.booking set status = 'CONFIRMED', updated_at = ${now}
       where id = ${id} and status = 'PENDING' returning id`.execute(executor(this.orm, em));
    return rows.length === 1;
  }

  /**
   * The booking flow's CONFIRMED mark for one or more bookings (grouped by a Batcher), committed with
   * `synchronous_commit = off` (one statement, one round trip; `set_config(..., true)` is local to
   * this statement's own transaction and is read at its commit). Not waiting for the WAL flush
   * here is safe because the mark is re-derivable: it is only written after the sale — which
   * recorded the payment reference and flipped the tickets to this booking — committed durably
   * (synchronously). If a crash loses this commit, the booking is PENDING again with its tickets
   * sold to it and its payment reference stored, and the reconciler captures (idempotently:
   * already captured is fine) and marks it CONFIRMED. No seat and no charge depends on this row
   * reaching disk; only its status may read PENDING until then.
   */
  async confirmLazily(ids: readonly string[], now: Date): Promise<void> {
    await this.sql.query(
      "inventory.confirm-lazily",
      `update inventory.booking b set status = 'CONFIRMED', updated_at = $2
         from (select set_config('synchronous_commit', 'off', true)) as lazy
        where b.id = any($1::uuid[]) and b.status = 'PENDING'`,
      [ids, now],
      true,
    );
  }

  async fail(
    id: string,
    reason: string,
    paymentRef: string | null,
    now: Date,
    em?: EntityManager,
  ): Promise<boolean> {
    const { rows } = await sql<{ id: string }>`
      update inventory.booking
         set status = 'FAILED', failure_reason = ${reason.slice(0, 200)},
             payment_ref = coalesce(${paymentRef}, payment_ref), updated_at = ${now}
       where id = ${id} and status = 'PENDING' returning id`.execute(executor(this.orm, em));
    return rows.length === 1;
  }

  /** Locks a PENDING booking for the reconciler; a concurrent sale transaction waits on this row. */
  async lockPending(em: EntityManager, id: string): Promise<BookingRow | undefined> {
    const { rows } = await sql<RawBooking>`
      select * from inventory.booking where id = ${id} and status = 'PENDING' for update`.execute(
      executor(this.orm, em),
    );
    return rows[0] && toBooking(rows[0]);
  }

  async pendingBefore(cutoff: Date, limit: number): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`
      select id from inventory.booking where status = 'PENDING' and created_at < ${cutoff}
       order by created_at limit ${limit}`.execute(executor(this.orm));
    return rows.map((r) => r.id);
  }

  async listForUser(userId: string, limit: number, offset: number): Promise<BookingRow[]> {
    const { rows } = await sql<RawBooking>`
      select * from inventory.booking where user_id = ${userId}
       order by created_at desc, id limit ${limit} offset ${offset}`.execute(executor(this.orm));
    return rows.map(toBooking);
  }
}
