// Data for the booking benchmark, written the way the seed script writes tickets (raw SQL), and
// the checks read back from the database after the race.
import pg from "pg";
import { seedTickets } from "../scripts/local/stack.ts";

/** A fresh event's tickets (the edge tests' seedTickets), analyzed like the seed script's. */
export async function seedEvent(
  databaseUrl: string,
  seats: number,
): Promise<{ eventId: string; ticketIds: string[] }> {
  const seeded = await seedTickets(databaseUrl, seats);
  // Fresh statistics, or plans cached now (prepared statements) would seq-scan tables they
  // believe empty.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("analyze inventory.ticket, inventory.booking, payments_sandbox.payment");
  } finally {
    await client.end();
  }
  return seeded;
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
