// Writes the demo data set: catalog (venues, sections, performers, events), and inventory tickets
// for every on-sale event; the ticket budget decides how many events are on sale (on-sale-plan.ts).
// Search builds its own index from the catalog's export when it starts.
import pg from "pg";
import type { EventRow, VenueRow } from "./catalog-data.ts";
import { copyRows } from "./copy.ts";
import { applyPlan, makeWorld, planOnSale } from "./on-sale-plan.ts";
import { Progress } from "./progress.ts";
import type { Random } from "./random.ts";
import { priceCents } from "./seat-maps.ts";

export interface SeedOptions {
  events: number;
  seed: number;
  /**
   * Upper bound on ticket rows written: the headline tours, then ordinary events soonest first,
   * are on sale with tickets until it is reached; later events are SCHEDULED.
   */
  ticketBudget: number;
  venues?: number;
  performers?: number;
  /** Empty every seeded schema first. */
  reset?: boolean;
  /** Dates are relative to this day (UTC midnight), so a seed is reproducible within a day. */
  now?: Date;
  quiet?: boolean;
}

export interface SeedSummary {
  venues: number;
  performers: number;
  events: number;
  ticketedEvents: number;
  tickets: number;
  /** Days before an ordinary event its sale opens (the sale horizon the budget allowed). */
  saleLeadDays: number;
  seconds: number;
}

const seededSchemas = ["catalog", "inventory", "search", "queue"];

const currencyOf = (country: string) =>
  ({
    US: "USD",
    CA: "CAD",
    MX: "MXN",
    GB: "GBP",
    AU: "AUD",
    NZ: "NZD",
    JP: "JPY",
    KR: "KRW",
    SG: "SGD",
    BR: "BRL",
    AR: "ARS",
    SE: "SEK",
    DK: "DKK",
    NO: "NOK",
    PL: "PLN",
    CZ: "CZK",
    CH: "CHF",
  })[country] ?? "EUR";

export async function countEvents(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>("select count(*) as n from catalog.event");
  return Number(rows[0]?.n ?? 0);
}

async function resetSchemas(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ t: string }>(
    `select format('%I.%I', schemaname, tablename) as t from pg_tables
      where schemaname = any($1) and tablename <> 'mikro_orm_migrations'`,
    [seededSchemas],
  );
  if (rows.length > 0)
    await client.query(`truncate ${rows.map((r) => r.t).join(", ")} restart identity cascade`);
}

export async function seedDatabase(url: string, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const now = options.now ?? new Date(new Date().toISOString().slice(0, 10));
  const plan = planOnSale(options, now, options.ticketBudget);
  const { rnd, venues, performers, events } = makeWorld(options, now);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (options.reset) await resetSchemas(client);
    await client.query("begin");
    await copyRows(
      client,
      "catalog.venue",
      [
        "id",
        "name",
        "address",
        "city",
        "country",
        "timezone",
        "capacity",
        "version",
        "created_at",
        "updated_at",
      ],
      venues.map((v) => [
        v.id,
        v.name,
        v.address,
        v.city.name,
        v.city.country,
        v.city.timezone,
        v.capacity,
        1,
        now,
        now,
      ]),
    );
    await copyRows(
      client,
      "catalog.section",
      ["id", "venue_id", "position", "name", "kind", "capacity", "rows"],
      venues.flatMap((v) =>
        v.sections.map((s, i) => [s.id, v.id, i, s.name, s.kind, s.capacity, JSON.stringify(s.rows)]),
      ),
    );
    await copyRows(
      client,
      "catalog.performer",
      ["id", "name", "bio", "genre", "version", "created_at", "updated_at"],
      performers.map((p) => [p.id, p.name, p.bio, p.genre, 1, now, now]),
    );

    const progress = options.quiet ? undefined : new Progress("events", options.events);
    const ticketed: EventRow[] = [];
    let batch: EventRow[] = [];
    const flush = async () => {
      await copyRows(
        client,
        "catalog.event",
        [
          "id",
          "name",
          "description",
          "category",
          "starts_at",
          "ends_at",
          "venue_id",
          "status",
          "on_sale_starts_at",
          "on_sale_ends_at",
          "version",
          "created_at",
          "updated_at",
        ],
        batch.map((e) => [
          e.id,
          e.name,
          e.description,
          e.category,
          e.startsAt,
          e.endsAt,
          e.venue.id,
          e.status,
          e.onSaleStartsAt,
          e.onSaleEndsAt,
          1,
          now,
          now,
        ]),
      );
      await copyRows(
        client,
        "catalog.event_performer",
        ["event_id", "performer_id", "position"],
        batch.flatMap((e) => e.performerIds.map((p, i) => [e.id, p, i])),
      );
      progress?.add(batch.length);
      batch = [];
    };
    let position = 0;
    for (const generated of events()) {
      const event = applyPlan(generated, position, plan, now);
      batch.push(event);
      if (plan.ticketed.has(position)) ticketed.push(event);
      position++;
      if (batch.length === 10_000) await flush();
    }
    if (batch.length > 0) await flush();
    progress?.finish();

    const ticketProgress = options.quiet ? undefined : new Progress("tickets", plan.tickets);
    const tickets = await copyRows(
      client,
      "inventory.ticket",
      ["id", "event_id", "section_id", "row_label", "seat", "price_cents", "currency", "status", "version"],
      ticketRowsOf(ticketed, rnd),
      (n) => ticketProgress?.add(n),
    );
    ticketProgress?.finish();
    await enableWaitingRooms(
      client,
      ticketed.filter((e) => e.headline),
      now,
    );
    await client.query("commit");
    await client.query("analyze catalog.event; analyze catalog.event_performer; analyze inventory.ticket");
    return {
      venues: venues.length,
      performers: performers.length,
      events: options.events,
      ticketedEvents: ticketed.length,
      tickets,
      saleLeadDays: plan.saleLeadMs / 86_400_000,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

function* ticketRowsOf(events: EventRow[], rnd: Random) {
  for (const event of events) {
    const currency = currencyOf(event.venue.city.country);
    for (const section of event.venue.sections) {
      const price = priceCents(event.venue.kind, section.tier, event.headline);
      for (const place of placesOf(section)) {
        yield [rnd.uuid(), event.id, section.id, place.row, place.seat, price, currency, "AVAILABLE", 1];
      }
    }
  }
}

function* placesOf(section: VenueRow["sections"][number]) {
  if (section.kind === "GENERAL_ADMISSION") {
    for (let seat = 1; seat <= section.capacity; seat++) yield { row: "", seat };
    return;
  }
  for (const row of section.rows)
    for (let seat = 1; seat <= row.seatCount; seat++) yield { row: row.label, seat };
}

/**
 * The headline tours sell through the waiting room, as the queue service's SetQueueSettings would
 * set it up: its settings row, and inventory's record that holds and bookings need a token.
 */
async function enableWaitingRooms(client: pg.Client, events: EventRow[], now: Date): Promise<void> {
  if (events.length === 0) return;
  await copyRows(
    client,
    "queue.queue_settings",
    [
      "event_id",
      "enabled",
      "max_active_shoppers",
      "admissions_per_minute",
      "shopping_window_seconds",
      "opens_at",
      "version",
      "updated_at",
    ],
    events.map((e) => [e.id, true, 2000, 6000, 600, e.onSaleStartsAt ?? now, 1, now]),
  );
  await copyRows(
    client,
    "inventory.waiting_room",
    ["event_id", "enabled", "updated_at"],
    events.map((e) => [e.id, true, now]),
  );
}
