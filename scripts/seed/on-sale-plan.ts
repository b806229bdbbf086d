// Which demo events are on sale. Every on-sale event needs a ticket row per place, and a data set
// of a million events cannot carry tickets for all ~140,000 whose sale window has opened. So the
// ticket budget decides: the headline tours first, then ordinary events soonest first, up to a
// sale horizon — tickets go on sale that long before an event. An event past the horizon is
// SCHEDULED, its sale opening at the horizon's distance before it, so no event is shown on sale
// without tickets. A first pass over the same deterministic event stream finds the horizon.
import { type EventRow, makeEvents, makePerformers, makeVenues } from "./catalog-data.ts";
import { Random } from "./random.ts";

const day = 86_400_000;

export interface WorldOptions {
  events: number;
  seed: number;
  venues?: number;
  performers?: number;
}

/** Venues, performers and the generator of events, the same for every call with these options. */
export function makeWorld(options: WorldOptions, now: Date) {
  const rnd = new Random(options.seed);
  const venues = makeVenues(rnd, options.venues ?? 200);
  const performers = makePerformers(rnd, options.performers ?? 3000);
  return { rnd, venues, performers, events: () => makeEvents(rnd, options.events, venues, performers, now) };
}

export interface OnSalePlan {
  /** Positions (in generation order) of the events that get tickets and stay ON_SALE. */
  ticketed: Set<number>;
  /** How long before an event its sale opens, for events past the horizon (0: none fitted). */
  saleLeadMs: number;
  /** Ticket rows the ticketed events need. */
  tickets: number;
}

interface Candidate {
  position: number;
  startsAt: number;
  capacity: number;
}

/** Runs the event stream once, keeping only what the plan needs. */
export function planOnSale(options: WorldOptions, now: Date, ticketBudget: number): OnSalePlan {
  const ticketed = new Set<number>();
  let tickets = 0;
  const ordinary: Candidate[] = [];
  let position = 0;
  // Headline dates come first, in tour order until one does not fit: a budget that fits them
  // always gets them, and a smaller one keeps what is left for the soonest ordinary events.
  let headlinesFit = true;
  for (const event of makeWorld(options, now).events()) {
    if (event.status === "ON_SALE" && event.headline) {
      headlinesFit &&= tickets + event.venue.capacity <= ticketBudget;
      if (headlinesFit) {
        ticketed.add(position);
        tickets += event.venue.capacity;
      }
    } else if (event.status === "ON_SALE") {
      ordinary.push({ position, startsAt: event.startsAt.getTime(), capacity: event.venue.capacity });
    }
    position++;
  }
  ordinary.sort((a, b) => a.startsAt - b.startsAt || a.position - b.position);
  // Events starting at the same instant are all in or all out: the horizon is a point in time.
  let horizon = now.getTime();
  for (let i = 0; i < ordinary.length; ) {
    let j = i;
    let needed = 0;
    while (j < ordinary.length && ordinary[j]?.startsAt === ordinary[i]?.startsAt) {
      needed += (ordinary[j] as Candidate).capacity;
      j++;
    }
    if (tickets + needed > ticketBudget) break;
    for (let k = i; k < j; k++) ticketed.add((ordinary[k] as Candidate).position);
    tickets += needed;
    horizon = (ordinary[i] as Candidate).startsAt;
    i = j;
  }
  return { ticketed, saleLeadMs: horizon - now.getTime(), tickets };
}

/**
 * The event as the plan has it: an on-sale event without tickets becomes SCHEDULED, its sale
 * opening `saleLeadMs` before it starts (and never before tomorrow).
 */
export function applyPlan(event: EventRow, position: number, plan: OnSalePlan, now: Date): EventRow {
  if (event.status !== "ON_SALE" || plan.ticketed.has(position)) return event;
  const opens = Math.max(now.getTime() + day, event.startsAt.getTime() - plan.saleLeadMs);
  return {
    ...event,
    status: "SCHEDULED",
    onSaleStartsAt: new Date(Math.min(opens, event.startsAt.getTime())),
  };
}
