// The fenced sales of concurrent bookings, grouped: while one sale statement runs, the sales that
// arrive meanwhile wait and go together in the next (Batcher), one statement and one synchronous
// commit for the group, each booking still all-or-nothing. A sale alone runs the single-booking
// statement (sellSql) unchanged.
//
// A group's outcome is one for all of its bookings: committed together or not at all. So when
// the group's statement certainly did not commit (PostgreSQL refused or rolled it back), each
// sale is run again alone, and one bad sale fails only its own booking; when the outcome is
// unknown (the connection broke with the statement sent), every booking of the group gets that
// error and settles from the data as a lone sale would (BookingService.sell) — never retried,
// since a retry of a committed sale finds its seats SOLD and would read as refused.
import { Batcher, certainlyNotCommitted, type SqlPools } from "#platform";

export interface Sale {
  bookingId: string;
  fenced: readonly { id: string; version: number }[];
  paymentRef: string;
  now: Date;
}

/** The tickets that were still sellable, and whether the booking's sale happened. */
export interface SaleOutcome {
  sellable: string[];
  sold: boolean;
}

type Settled = { outcome: SaleOutcome } | { error: unknown };

/**
 * The fenced sale of one booking. $1 booking id, $2 ticket ids, $3 their read versions, $4
 * payment reference, $5 now. Exported for bench/booking-statements.ts.
 */
export const sellSql = `with sellable as (
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
            (select count(*) from sold) = cardinality($2::uuid[]) as sold`;

/**
 * The same sale for several bookings whose tickets do not overlap: per booking, exactly what
 * sellSql does for one. $1 booking id per ticket, $2 ticket ids, $3 their read versions; $4
 * booking ids, $5 their payment references, $6 their times.
 */
export const sellGroupSql = `with input as (
       select * from unnest($1::uuid[], $2::uuid[], $3::int[]) as f(booking_id, id, version)
     ), sellable as (
       select t.id, f.booking_id
         from inventory.ticket t
         join input f on t.id = f.id
        where t.version = f.version and t.status = 'AVAILABLE'
          for update of t
     ), sale as (
       select * from unnest($4::uuid[], $5::text[], $6::timestamptz[]) as s(booking_id, payment_ref, at)
     ), counts as materialized (
       -- Counted once per booking: inlined into the update, a correlated count ran per PENDING
       -- booking row and per sale (tens of ms per statement in the race's opening burst).
       select f.booking_id, count(*) as wanted, count(x.id) as found
         from input f left join sellable x on x.id = f.id and x.booking_id = f.booking_id
        group by f.booking_id
     ), whole as materialized (
       select s.* from sale s join counts c on c.booking_id = s.booking_id where c.found = c.wanted
     ), paid as (
       -- By primary key ($4), whatever a plan made on a small table would prefer.
       update inventory.booking b set payment_ref = w.payment_ref, updated_at = w.at
         from whole w
        where b.id = any($4::uuid[]) and b.id = w.booking_id and b.status = 'PENDING'
       returning b.id, w.at
     ), sold as (
       update inventory.ticket t
          set status = 'SOLD', version = t.version + 1, booking_id = p.id, updated_at = p.at
         from sellable x join paid p on p.id = x.booking_id
        where t.id = x.id
       returning t.id, t.booking_id
     )
     select s.booking_id as "bookingId",
            (select array_agg(x.id) from sellable x where x.booking_id = s.booking_id) as sellable,
            (select count(*) from sold d where d.booking_id = s.booking_id)
              = (select c.wanted from counts c where c.booking_id = s.booking_id) as sold
       from sale s`;

export class GroupedSales {
  private readonly sales = new Batcher<Sale, Settled>((sales) => this.sellAll(sales), 64, {
    gatherTurn: true,
  });

  constructor(private readonly db: SqlPools) {}

  async sell(sale: Sale): Promise<SaleOutcome> {
    const settled = await this.sales.submit(sale);
    if ("error" in settled) throw settled.error;
    return settled.outcome;
  }

  private async sellAll(sales: Sale[]): Promise<Settled[]> {
    const { group, later } = disjoint(sales);
    const settled = new Map<Sale, Settled>();
    if (group.length === 1) settled.set(group[0] as Sale, await alone(this.sellOne(group[0] as Sale)));
    else {
      try {
        const outcomes = await this.sellGroup(group);
        for (const [i, sale] of group.entries()) settled.set(sale, { outcome: outcomes[i] as SaleOutcome });
      } catch (error) {
        const again = certainlyNotCommitted(error);
        const each = await Promise.all(group.map((s) => (again ? alone(this.sellOne(s)) : { error })));
        for (const [i, sale] of group.entries()) settled.set(sale, each[i] as Settled);
      }
    }
    // A sale naming a ticket of the group's goes after it, alone: it finds that ticket's new version.
    for (const sale of later) settled.set(sale, await alone(this.sellOne(sale)));
    return sales.map((sale) => settled.get(sale) as Settled);
  }

  private async sellOne({ bookingId, fenced, paymentRef, now }: Sale): Promise<SaleOutcome> {
    const [row] = await this.db.query<SaleRow>(
      "inventory.sell",
      sellSql,
      [bookingId, fenced.map((f) => f.id), fenced.map((f) => f.version), paymentRef, now],
      { primary: true },
    );
    return outcomeOf(row);
  }

  private async sellGroup(group: Sale[]): Promise<SaleOutcome[]> {
    const tickets = group.flatMap((s) => s.fenced.map((f) => ({ bookingId: s.bookingId, ...f })));
    const rows = await this.db.query<SaleRow & { bookingId: string }>(
      "inventory.sell-group",
      sellGroupSql,
      [
        tickets.map((t) => t.bookingId),
        tickets.map((t) => t.id),
        tickets.map((t) => t.version),
        group.map((s) => s.bookingId),
        group.map((s) => s.paymentRef),
        group.map((s) => s.now),
      ],
      { primary: true },
    );
    const byBooking = new Map(rows.map((r) => [r.bookingId, r]));
    return group.map((s) => outcomeOf(byBooking.get(s.bookingId)));
  }
}

/** What both sale statements answer per booking. */
type SaleRow = { sellable: string[] | null; sold: boolean };

const outcomeOf = (row: SaleRow | undefined): SaleOutcome => ({
  sellable: row?.sellable ?? [],
  sold: row?.sold === true,
});

/** A lone sale's outcome or error, as a value. */
const alone = (sale: Promise<SaleOutcome>): Promise<Settled> =>
  sale.then(
    (outcome) => ({ outcome }),
    (error: unknown) => ({ error }),
  );

/** The sales whose tickets no earlier sale of the batch names, and the others. */
function disjoint(sales: Sale[]): { group: Sale[]; later: Sale[] } {
  const seen = new Set<string>();
  const group: Sale[] = [];
  const later: Sale[] = [];
  for (const sale of sales) {
    if (sale.fenced.some((f) => seen.has(f.id))) later.push(sale);
    else {
      for (const f of sale.fenced) seen.add(f.id);
      group.push(sale);
    }
  }
  return { group, later };
}
