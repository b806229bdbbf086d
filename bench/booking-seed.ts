// Data for the booking benchmark, written the way the seed script writes tickets (raw SQL), and
// the checks read back from the database after the race.
import { randomUUID } from "node:crypto";
import pg from "pg";

export async function seedEvent(
  databaseUrl: string,
  seats: number,
): Promise<{ eventId: string; ticketIds: string[] }> {
  const eventId = randomUUID();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `insert into inventory.ticket (id, event_id, section_id, row_label, seat, price_cents, currency, status, version)
       select gen_random_uuid(), $1, $2, 'R' || ((s - 1) / 50), ((s - 1) % 50) + 1, 5000, 'USD', 'AVAILABLE', 1
         from generate_series(1, $3) s
       returning id`,
      [eventId, randomUUID(), seats],
    );
    await client.query("analyze inventory.ticket, inventory.booking");
    return { eventId, ticketIds: rows.map((r) => r.id) };
  } finally {
    await client.end();
  }
}

/** Sold tickets, confirmed bookings, and tickets that appear in more than one booking or none. */
export async function raceOutcome(databaseUrl: string, eventId: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const one = async (sql: string) =>
      Number((await client.query<{ n: string }>(sql, [eventId])).rows[0]?.n ?? 0);
    return {
      sold: await one(`select count(*) as n from inventory.ticket where event_id = $1 and status = 'SOLD'`),
      bookings: await one(
        `select count(*) as n from inventory.booking where event_id = $1 and status = 'CONFIRMED'`,
      ),
      bookedTickets: await one(
        `select coalesce(sum(cardinality(ticket_ids)), 0) as n from inventory.booking where event_id = $1 and status = 'CONFIRMED'`,
      ),
      duplicates: await one(
        `select count(*) as n from (select t from inventory.booking, unnest(ticket_ids) t
           where event_id = $1 and status = 'CONFIRMED' group by t having count(*) > 1) d`,
      ),
      soldWithoutBooking: await one(
        `select count(*) as n from inventory.ticket t where t.event_id = $1 and t.status = 'SOLD' and not exists
           (select 1 from inventory.booking b where b.id = t.booking_id and b.status = 'CONFIRMED' and t.id = any(b.ticket_ids))`,
      ),
      pending: await one(
        `select count(*) as n from inventory.booking where event_id = $1 and status = 'PENDING'`,
      ),
    };
  } finally {
    await client.end();
  }
}
