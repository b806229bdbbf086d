// Event page views at onsale scale: an open-model ramp (requests per second, independent of how
// fast the edge answers) on the event page and on per-section ticket lists.
//
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e EVENT_ID=<uuid> -e RATE=500 loadtest/k6/view.ts
import { check } from "k6";
import type { Options } from "k6/options";
import { eventIds, num, pick } from "./lib/env.ts";
import { getEvent, getSectionTickets, routes, sectionsWithSeats } from "./lib/event.ts";

const RATE = num("RATE", 200); // event page views per second at the plateau
const SECTION_RATE = num("SECTION_RATE", Math.max(1, Math.round(RATE / 2)));
const RAMP = `${num("RAMP_SECONDS", 30)}s`;
const HOLD = `${num("PLATEAU_SECONDS", 60)}s`;
const MAX_VUS = num("MAX_VUS", 1000);

const stages = (target: number) => [
  { target, duration: RAMP },
  { target, duration: HOLD },
  { target: 0, duration: "10s" },
];

export const options: Options = {
  scenarios: {
    event_page: {
      executor: "ramping-arrival-rate",
      exec: "eventPage",
      startRate: 1,
      timeUnit: "1s",
      preAllocatedVUs: Math.min(MAX_VUS, Math.max(10, RATE)),
      maxVUs: MAX_VUS,
      stages: stages(RATE),
      gracefulStop: "10s",
    },
    section_tickets: {
      executor: "ramping-arrival-rate",
      exec: "sectionTickets",
      startRate: 1,
      timeUnit: "1s",
      preAllocatedVUs: Math.min(MAX_VUS, Math.max(10, SECTION_RATE)),
      maxVUs: MAX_VUS,
      stages: stages(SECTION_RATE),
      gracefulStop: "10s",
    },
  },
  thresholds: {
    // Hot reads are served from the edge's micro-cache: they must stay fast under load.
    [`http_req_duration{name:${routes.event}}`]: ["p(95)<200", "p(99)<500"],
    [`http_req_duration{name:${routes.sectionTickets}}`]: ["p(95)<250", "p(99)<500"],
    http_req_failed: ["rate<0.01"],
    checks: ["rate>0.99"],
    // Requests k6 could not start because every VU was busy: the edge is falling behind.
    dropped_iterations: ["count<100"],
  },
  summaryTrendStats: ["avg", "med", "p(90)", "p(95)", "p(99)", "max"],
};

type Setup = { events: { id: string; sections: string[] }[] };

export function setup(): Setup {
  const events = eventIds().map((id) => {
    const { res, page } = getEvent(id);
    if (res.status !== 200) throw new Error(`GET /events/${id} answered ${res.status}: is the event seeded?`);
    return { id, sections: sectionsWithSeats(page) };
  });
  return { events };
}

export function eventPage(data: Setup): void {
  const { res, page } = getEvent(pick(data.events).id);
  check(res, {
    "event page 200": (r) => r.status === 200,
    "event page has the event": () => page?.event !== undefined,
    "event page is cacheable": (r) => /max-age|s-maxage/.test(String(r.headers["Cache-Control"] ?? "")),
  });
}

export function sectionTickets(data: Setup): void {
  const event = pick(data.events);
  if (event.sections.length === 0) return;
  const { res, tickets } = getSectionTickets(event.id, pick(event.sections));
  check(res, {
    "section tickets 200": (r) => r.status === 200,
    "section tickets listed": () => tickets.length > 0,
  });
}
