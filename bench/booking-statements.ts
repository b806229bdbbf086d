// The booking's own statements as a pgbench custom script: what inventory sends to PostgreSQL for
// one booking of one fresh seat, in order, each committing by itself — open (PENDING booking),
// the sandbox provider's authorization, the fenced sale, the provider's capture, the lazily
// committed CONFIRMED mark — taken from the very constants the code runs, with pgbench
// expressions in place of the parameters. No Node, no Redis, no RPC: the database's floor for a
// booking, which bench/booking.ts divides the stack's bookings/s by.
import { confirmLazilySql, openBookingSql } from "../services/inventory/src/bookings/booking-repository.ts";
import {
  sandboxAuthorizeSql,
  sandboxTransitionSql,
} from "../services/inventory/src/payments/sandbox/sandbox-store.ts";
import { sellSql } from "../services/inventory/src/tickets/ticket-repository.ts";

/** Seats (and bookings) per pgbench client: more than any client books in a run. */
export const seatsPerClient = 5000;
/** A 12-digit number per (client, transaction): `n` in the script. */
const seatNumber = "100000000000 + :client_id * 1000000 + :i";
// Ticket and booking ids are uuids ending in `n` (digits are hex digits too), so the script can
// name them without a lookup of its own.
const ticketIdPrefix = "00000000-0000-4000-8000-";
const bookingIdPrefix = "00000000-0000-4000-9000-";
const bookingId = `('${bookingIdPrefix}' || :n)`;
const paymentRef = `('sbx_' || :n)`;
/** A one-element array literal of text ending in `n`, for the statements that take arrays. */
const oneOf = (prefix: string) => `('{${prefix}' || :n || '}')`;
const ticketIds = oneOf(ticketIdPrefix);

/** Replaces `$1`…`$n` (highest first, so `$1` never eats `$10`) with pgbench expressions. */
function bind(sql: string, params: string[]): string {
  let text = sql;
  for (let i = params.length; i >= 1; i--) text = text.replaceAll(`$${i}`, params[i - 1] as string);
  return `${text.trim()};`;
}

/**
 * The script; `-D user=<uuid> -D event=<uuid> -D hash=<text> -D i=0` define its constants. Every
 * transaction books the client's next seat (`i` counts per client: pgbench keeps a client's
 * variables from one transaction to the next).
 */
export function bookingScript(): string {
  return [
    "\\set i :i + 1",
    `\\set n ${seatNumber}`,
    bind(openBookingSql, [
      ":user",
      "('k' || :n)",
      ticketIds,
      ":event",
      `${bookingId}::uuid`,
      ":hash",
      "'sandbox'",
      "'visa'",
      "'4242'",
      "now()",
    ]),
    // The provider groups concurrent calls into one statement; one booking alone sends a group of one.
    bind(sandboxAuthorizeSql, [
      oneOf("sbx_"),
      oneOf(bookingIdPrefix),
      "'{2500}'",
      "'{USD}'",
      "'{visa}'",
      "'{4242}'",
      "array[now()]",
      "array[now() + interval '7 days']",
    ]),
    bind(sellSql, [`${bookingId}::uuid`, ticketIds, "'{1}'", paymentRef, "now()"]),
    bind(sandboxTransitionSql, [oneOf("sbx_"), "'AUTHORIZED'", "'CAPTURED'", "now()", "false"]),
    bind(confirmLazilySql, [oneOf(bookingIdPrefix), "now()"]),
    "",
  ].join("\n");
}

/** Tickets of one event for every client's seats, priced like the benchmark's (2500 USD cents). */
export const seedSql = `
  insert into inventory.ticket (id, event_id, section_id, row_label, seat, price_cents, currency, status, version)
  select ('${ticketIdPrefix}' || (100000000000 + c * 1000000 + i))::uuid, $1, $2, 'C' || c, i, 2500, 'USD', 'AVAILABLE', 1
    from generate_series(0, $3 - 1) c, generate_series(1, ${seatsPerClient}) i`;
