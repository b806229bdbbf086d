import { Batcher, type Queryable, type SqlPools } from "#platform";
import { type Row, selectList } from "../db/rows.ts";
import { Booking } from "../entities/booking-entity.ts";
import { type InTransaction, type TicketRow, ticketColumns } from "../tickets/ticket-repository.ts";

export type BookingRow = Row<typeof Booking>;
export type BookingStatusText = BookingRow["status"];

/** What a booking knows before its tickets are read: the row minus what the statement decides. */
export type OpeningBooking = Omit<
  BookingRow,
  "status" | "paymentRef" | "failureReason" | "updatedAt" | "totalCents" | "currency"
>;

export interface Opened {
  /** The booking already made with this (user, Idempotency-Key), if any. */
  previous: BookingRow | undefined;
  /** The requested tickets of the event as stored now, with the buyer of a sold one. */
  tickets: TicketRow[];
  /** The PENDING booking inserted by this statement, if it was. */
  opened: BookingRow | undefined;
}

const bookingColumns = selectList(Booking, "b");

/**
 * The statement a booking opens with (see BookingRepository.open). $1 user, $2 idempotency key,
 * $3 ticket ids, $4 event, $5 booking id, $6 request hash, $7 provider, $8 card brand, $9 last
 * four, $10 now. Exported, like the other booking statements, for bench/booking-statements.ts,
 * which runs them raw under pgbench.
 */
export const openBookingSql = `with previous as (
       select ${bookingColumns} from inventory.booking b where b.user_id = $1 and b.idempotency_key = $2
     ), by_id as materialized (
       -- By primary key alone, filtered by event after: see TicketRepository.find.
       select ${ticketColumns} from inventory.ticket t where t.id = any($3::uuid[])
     ), requested as (
       select t.*, o.user_id as owner
         from by_id t
         left join inventory.booking o on o.id = t."bookingId"
        where t."eventId" = $4
     ), bookable as (
       select sum("priceCents") as total, min(currency) as currency from requested
       having count(*) = cardinality($3::uuid[]) and bool_and(status = 'AVAILABLE')
          and count(distinct currency) = 1
     ), opened as (
       insert into inventory.booking (id, user_id, event_id, ticket_ids, total_cents, currency, status,
                                      idempotency_key, request_hash, payment_provider, card_brand,
                                      card_last4, created_at, updated_at)
       select $5, $1, $4, $3::uuid[], total, currency, 'PENDING', $2, $6, $7, $8, $9, $10, $10
         from bookable where not exists (select 1 from previous)
       on conflict (user_id, idempotency_key) do nothing
       returning total_cents::float8 as total, currency
     )
     select (select json_agg(r) from requested r) as tickets,
            (select total from opened) as "openedTotal", (select currency from opened) as "openedCurrency",
            previous.*
       from (values (1)) as one
       cross join (select set_config('synchronous_commit', 'off', true)) as lazy
       left join previous on true`;

/** The lazily committed CONFIRMED marks (see BookingRepository.confirmLazily). $1 ids, $2 now. */
export const confirmLazilySql = `update inventory.booking b set status = 'CONFIRMED', updated_at = $2
       from (select set_config('synchronous_commit', 'off', true)) as lazy
      where b.id = any($1::uuid[]) and b.status = 'PENDING'`;

/**
 * Reads and writes `inventory.booking`, every statement a named prepared one on the primary (see
 * ../db/README.md). Every status change is conditional on PENDING; the reconciler's run inside its
 * transaction (`{ tx }`).
 */
export class BookingRepository {
  /** The booking flow's CONFIRMED marks, grouped: those captured while one update runs go in the next. */
  private readonly confirmations = new Batcher<{ id: string; now: Date }, void>(
    async (marks) => {
      await this.confirmLazily(
        marks.map((m) => m.id),
        marks.at(-1)?.now ?? new Date(),
      );
      return marks.map(() => undefined);
    },
    256,
    { gatherTurn: true },
  );

  constructor(private readonly db: SqlPools) {}

  async findById(id: string): Promise<BookingRow | undefined> {
    const [row] = await this.db.query<BookingRow>(
      "inventory.booking-by-id",
      `select ${bookingColumns} from inventory.booking b where b.id = $1`,
      [id],
      { primary: true },
    );
    return row;
  }

  /** The booking made with this (user, Idempotency-Key); asked on every refused booking lease. */
  async findByKey(userId: string, idempotencyKey: string): Promise<BookingRow | undefined> {
    const [row] = await this.db.query<BookingRow>(
      "inventory.booking-by-key",
      `select ${bookingColumns} from inventory.booking b where b.user_id = $1 and b.idempotency_key = $2`,
      [userId, idempotencyKey],
      { primary: true },
    );
    return row;
  }

  /**
   * A booking's first and only statement before the payment, one round trip: the booking already
   * made with this (user, Idempotency-Key), if any; the requested tickets of the event as stored
   * now (with the buyer of a sold one); and — only when there is no previous booking and the
   * tickets are bookable together — the PENDING row that claims the key. This is where the rule is
   * decided: every ticket exists, is AVAILABLE and is priced in one currency (`whyNotBookable` in
   * ../tickets/seat-rules.ts only explains a refusal). Nothing is opened on a previous booking, a
   * refusal, or the same key racing.
   *
   * Committed without waiting for the WAL flush (`synchronous_commit = off`, local to this
   * statement's transaction), because a PENDING row lost with a PostgreSQL crash leaves nothing
   * unsettled — whoever asks, the row is visible from the moment the statement returns, and only
   * a crash of the database itself (not of this process) can take it back:
   * - nothing is sold without it: the sale changes nothing unless this booking is PENDING, and the
   *   sale's own commit is synchronous, and the WAL is flushed in order, so a sale that reached
   *   disk carries this row with it — before any capture, which waits for the sale;
   * - an authorization made meanwhile names this booking id, which no longer exists: the
   *   reconciler's pass over the provider's own list of uncaptured authorizations voids those
   *   whose booking is missing (a flow still running finds its sale refused and voids it first);
   * - the key it claimed is free again, so a retry opens a new booking, as for a refused one.
   * The crash tests kill inventory, not PostgreSQL: there the row stands, and the reconciler
   * settles it as before. (services/inventory/test/reconciler.test.ts: a missing booking's
   * authorization is voided from the provider's list.)
   */
  async open(b: OpeningBooking): Promise<Opened> {
    const [row] = await this.db.query<
      Partial<BookingRow> & {
        tickets: TicketRow[] | null;
        openedTotal: number | null;
        openedCurrency: string;
      }
    >(
      "inventory.open-booking",
      openBookingSql,
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
      { primary: true },
    );
    if (!row) throw new Error("the open-booking statement returned no row");
    const { tickets, openedTotal, openedCurrency, ...previous } = row;
    const opened: BookingRow | undefined =
      openedTotal === null
        ? undefined
        : {
            ...b,
            totalCents: openedTotal,
            currency: openedCurrency,
            status: "PENDING",
            paymentRef: null,
            failureReason: null,
            updatedAt: b.createdAt,
          };
    return {
      previous: previous.id ? (previous as BookingRow) : undefined,
      tickets: tickets ?? [],
      opened,
    };
  }

  /** The reconciler's durable CONFIRMED mark. */
  async confirm(id: string, now: Date, { tx }: InTransaction = {}): Promise<boolean> {
    const rows = await (tx ?? this.db).query(
      "inventory.confirm-booking",
      "update inventory.booking set status = 'CONFIRMED', updated_at = $2 where id = $1 and status = 'PENDING' returning id",
      [id, now],
      { primary: true },
    );
    return rows.length === 1;
  }

  /** The booking flow's CONFIRMED mark: grouped with concurrent ones into one `confirmLazily`. */
  confirmGrouped(id: string, now: Date): Promise<void> {
    return this.confirmations.submit({ id, now });
  }

  /**
   * CONFIRMED marks for one or more bookings, committed with `synchronous_commit = off` (one
   * statement, one round trip; `set_config(..., true)` is local to this statement's own
   * transaction and is read at its commit). Not waiting for the WAL flush here is safe because the
   * mark is re-derivable: it is only written after the sale — which recorded the payment
   * reference and flipped the tickets to this booking — committed durably (synchronously). If a
   * crash loses this commit, the booking is PENDING again with its tickets sold to it and its
   * payment reference stored, and the reconciler captures (idempotently: already captured is
   * fine) and marks it CONFIRMED. No seat and no charge depends on this row reaching disk; only
   * its status may read PENDING until then.
   */
  async confirmLazily(ids: readonly string[], now: Date): Promise<void> {
    await this.db.query("inventory.confirm-lazily", confirmLazilySql, [ids, now], { primary: true });
  }

  async fail(
    id: string,
    reason: string,
    paymentRef: string | null,
    now: Date,
    { tx }: InTransaction = {},
  ): Promise<boolean> {
    const rows = await (tx ?? this.db).query(
      "inventory.fail-booking",
      `update inventory.booking
          set status = 'FAILED', failure_reason = $2, payment_ref = coalesce($3, payment_ref), updated_at = $4
        where id = $1 and status = 'PENDING' returning id`,
      [id, reason.slice(0, 200), paymentRef, now],
      { primary: true },
    );
    return rows.length === 1;
  }

  /** The reconciler gives up on a PENDING booking: an operator settles it (`reason` says what is known). */
  async markForReview(id: string, reason: string, now: Date, { tx }: InTransaction = {}): Promise<boolean> {
    const rows = await (tx ?? this.db).query(
      "inventory.booking-needs-review",
      `update inventory.booking set status = 'NEEDS_REVIEW', failure_reason = $2, updated_at = $3
        where id = $1 and status = 'PENDING' returning id`,
      [id, reason.slice(0, 200), now],
      { primary: true },
    );
    return rows.length === 1;
  }

  /** Locks a PENDING booking in the reconciler's transaction; a concurrent sale waits on this row. */
  async lockPending(id: string, { tx }: { tx: Queryable }): Promise<BookingRow | undefined> {
    const [row] = await tx.query<BookingRow>(
      "inventory.lock-pending-booking",
      `select ${bookingColumns} from inventory.booking b where b.id = $1 and b.status = 'PENDING' for update`,
      [id],
    );
    return row;
  }

  async pendingBefore(cutoff: Date, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      "inventory.pending-before",
      "select id from inventory.booking where status = 'PENDING' and created_at < $1 order by created_at limit $2",
      [cutoff, limit],
      { primary: true },
    );
    return rows.map((r) => r.id);
  }

  async listForUser(userId: string, limit: number, offset: number): Promise<BookingRow[]> {
    return this.db.query<BookingRow>(
      "inventory.bookings-for-user",
      `select ${bookingColumns} from inventory.booking b where b.user_id = $1
        order by b.created_at desc, b.id limit $2 offset $3`,
      [userId, limit, offset],
      { primary: true },
    );
  }
}
