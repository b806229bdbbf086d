// The worst day: an onsale. Thousands of buyers log in, join the hot event's waiting room, wait
// (polling their place) until admitted, then pick seats, hold them with their admission token and
// book, while a crowd of viewers keeps refreshing the event page. Events without a waiting room
// answer `not_required` and their buyers go straight to the seats. Seats must sell at most once:
// losing a race is a 409 (expected), a declined card a 402 (expected); anything else is an error.
//
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e EVENT_ID=<uuid> -e BUYERS=500 loadtest/k6/onsale.ts
//
// The edge must run with AUTH_MODE=local (POST /auth/login issues demo tokens).
import { check, sleep } from "k6";
import exec from "k6/execution";
import http, { type RefinedResponse, type ResponseType } from "k6/http";
import { Counter, Rate, Trend } from "k6/metrics";
import type { Options } from "k6/options";
import { BASE_URL, eventIds, json, num, pick, str, uuid } from "./lib/env.ts";
import { chooseTickets, getEvent, getSectionTickets, routes, sectionsWithSeats } from "./lib/event.ts";

const BUYERS = num("BUYERS", 200); // concurrent buyer VUs at the plateau
const VIEWERS_RATE = num("VIEWERS_RATE", 200); // event page views per second from the watching crowd
const TICKETS_PER_ORDER = num("TICKETS_PER_ORDER", 2);
const HOLD_ATTEMPTS = num("HOLD_ATTEMPTS", 3);
const DECLINE_RATE = num("DECLINE_RATE", 0.02); // share of buyers paying with the sandbox decline card
const REPLAY_RATE = num("REPLAY_RATE", 0.05); // share of bookings re-sent with the same Idempotency-Key
const DURATION = `${num("DURATION_SECONDS", 120)}s`;

export const options: Options = {
  scenarios: {
    buyers: {
      executor: "ramping-vus",
      exec: "buyer",
      startVUs: 0,
      stages: [
        { target: BUYERS, duration: "20s" }, // the gates open
        { target: BUYERS, duration: DURATION },
        { target: 0, duration: "10s" },
      ],
      gracefulRampDown: "30s",
      gracefulStop: "30s",
    },
    viewers: {
      executor: "constant-arrival-rate",
      exec: "viewer",
      rate: VIEWERS_RATE,
      timeUnit: "1s",
      duration: `${num("DURATION_SECONDS", 120) + 30}s`,
      preAllocatedVUs: Math.max(10, Math.min(VIEWERS_RATE, 500)),
      maxVUs: num("MAX_VIEWER_VUS", 1000),
      gracefulStop: "10s",
    },
  },
  thresholds: {
    [`http_req_duration{name:${routes.event}}`]: ["p(95)<300"],
    [`http_req_duration{name:${routes.hold}}`]: ["p(95)<500"],
    [`http_req_duration{name:${routes.book}}`]: ["p(95)<1500"],
    [`http_req_duration{name:${routes.login}}`]: ["p(95)<500"],
    // 409 (seat taken), 402 (declined) and 429 (waiting room) are answers, not failures.
    http_req_failed: ["rate<0.01"],
    unexpected_responses: ["rate<0.01"],
    checks: ["rate>0.95"],
  },
  summaryTrendStats: ["avg", "med", "p(90)", "p(95)", "p(99)", "max"],
};

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 402, 409, 429));

const ticketsSold = new Counter("tickets_sold");
const bookingsConfirmed = new Counter("bookings_confirmed");
const holdConflicts = new Counter("hold_conflicts");
const bookingConflicts = new Counter("booking_conflicts");
const paymentsDeclined = new Counter("payments_declined");
const rateLimited = new Counter("rate_limited");
const soldOutViews = new Counter("sold_out_views");
const idempotentReplays = new Counter("idempotent_replays");
const unexpected = new Rate("unexpected_responses");
const timeToBook = new Trend("time_to_book", true);

type Res = RefinedResponse<ResponseType | undefined>;

/** Records whether a status was one the flow allows, and returns it. */
function allow(res: Res, allowed: number[]): number {
  const ok = allowed.includes(res.status);
  unexpected.add(!ok, { name: String(res.request?.url ?? "").replace(/[0-9a-f-]{36}/g, "{id}") });
  return res.status;
}

let token: string | undefined; // one login per VU, reused across its iterations
let admission: { token: string; endsAtMs: number } | undefined; // this VU's admission, while it lasts
let soldOut = false;

const queueRoute = "/events/{id}/queue";
const queueWait = new Trend("queue_wait", true);
const admitted = new Counter("admitted");

/** Joins the waiting room and waits (polling) until admitted; undefined when sold out or closed. */
function admit(eventId: string, bearer: string): { token: string; endsAtMs: number } | "none" | undefined {
  const started = Date.now();
  let res = http.post(`${BASE_URL}/events/${eventId}/queue`, null, {
    headers: auth(bearer),
    tags: { name: queueRoute },
  });
  for (;;) {
    allow(res, [200]);
    const place = json<{
      state?: string;
      admissionToken?: string;
      shoppingEndsAt?: string;
      position?: number;
    }>(res.body);
    check(res, { "queue 200": (r) => r.status === 200 });
    if (res.status !== 200 || !place) return undefined;
    if (place.state === "not_required") return "none";
    if (place.state === "admitted" && place.admissionToken) {
      admitted.add(1);
      queueWait.add(Date.now() - started);
      return { token: place.admissionToken, endsAtMs: Date.parse(place.shoppingEndsAt ?? "") || Date.now() };
    }
    if (place.state !== "waiting") {
      soldOut = place.state === "sold_out";
      return undefined;
    }
    sleep(1 + Math.random() * 2); // the edge updates positions about once a second
    res = http.get(`${BASE_URL}/events/${eventId}/queue`, {
      headers: auth(bearer),
      tags: { name: queueRoute },
    });
  }
}

function login(): string | undefined {
  const email = `buyer-${exec.vu.idInTest}-${uuid().slice(0, 8)}@loadtest.example`;
  const res = http.post(`${BASE_URL}/auth/login`, JSON.stringify({ email }), {
    headers: { "Content-Type": "application/json" },
    tags: { name: routes.login },
  });
  allow(res, [200, 201]);
  const body = json<{ token?: string }>(res.body);
  check(res, {
    "login 200": (r) => r.status === 200 || r.status === 201,
    "login token": () => !!body?.token,
  });
  return body?.token;
}

const auth = (t: string, extra: Record<string, string> = {}) => ({
  "Content-Type": "application/json",
  Authorization: `Bearer ${t}`,
  ...extra,
});

type Setup = { eventId: string };

export function setup(): Setup {
  const [eventId = ""] = eventIds();
  const { res } = getEvent(eventId);
  if (res.status !== 200)
    throw new Error(`GET /events/${eventId} answered ${res.status}: is the event seeded?`);
  return { eventId };
}

export function viewer({ eventId }: Setup): void {
  const { res } = getEvent(eventId);
  allow(res, [200]);
  check(res, { "viewer event page 200": (r) => r.status === 200 });
}

/** Available tickets of the hot event, inline or from one section with places left. */
function findSeats(eventId: string): string[] | undefined {
  const { res, page } = getEvent(eventId);
  allow(res, [200]);
  if (res.status !== 200) return undefined;
  let chosen = chooseTickets(page?.tickets ?? [], TICKETS_PER_ORDER);
  if (chosen.length === 0) {
    const sections = sectionsWithSeats(page);
    if (sections.length === 0) return [];
    const list = getSectionTickets(eventId, pick(sections));
    allow(list.res, [200]);
    chosen = chooseTickets(list.tickets, TICKETS_PER_ORDER);
  }
  return chosen;
}

export function buyer({ eventId }: Setup): void {
  token ??= login();
  if (!token) {
    sleep(1);
    return;
  }
  if (soldOut) return void sleep(5);
  if (!admission || admission.endsAtMs <= Date.now()) {
    const got = admit(eventId, token);
    if (got === undefined) return void sleep(2);
    admission = got === "none" ? { token: "", endsAtMs: Number.POSITIVE_INFINITY } : got;
  }
  const withAdmission: Record<string, string> = admission.token ? { "Admission-Token": admission.token } : {};
  const started = Date.now();

  // Pick seats and hold them; a lost race (409) means someone else was faster: pick again.
  let hold: { holdId: string; ticketIds: string[] } | undefined;
  for (let attempt = 0; attempt < HOLD_ATTEMPTS && !hold; attempt++) {
    const ticketIds = findSeats(eventId);
    if (ticketIds === undefined) return void sleep(1);
    if (ticketIds.length === 0) {
      soldOutViews.add(1);
      return void sleep(2); // sold out: keep watching for released holds
    }
    const res = http.post(`${BASE_URL}/events/${eventId}/holds`, JSON.stringify({ ticketIds }), {
      headers: auth(token, withAdmission),
      tags: { name: routes.hold },
    });
    const status = allow(res, [200, 201, 409, 429, 401, 403]);
    const body = json<{ holdId?: string; ticketIds?: string[] }>(res.body);
    check(res, { "hold answered 2xx/409/429": (r) => [200, 201, 409, 429].includes(r.status) });
    if (status === 200 || status === 201) {
      if (body?.holdId) hold = { holdId: body.holdId, ticketIds: body.ticketIds ?? ticketIds };
    } else if (status === 409) {
      holdConflicts.add(1);
    } else if (status === 429) {
      rateLimited.add(1); // the waiting room or rate limit pushed back
      return void sleep(2 + Math.random() * 3);
    } else if (status === 401) {
      token = undefined; // token expired: log in again next iteration
      return;
    } else if (status === 403) {
      admission = undefined; // shopping window over: back to the queue's answer
      return;
    }
  }
  if (!hold) return;

  sleep(1 + Math.random() * 3); // typing card details

  const declined = Math.random() < DECLINE_RATE;
  const payload = JSON.stringify({
    ticketIds: hold.ticketIds,
    holdId: hold.holdId,
    paymentDetails: {
      cardNumber: declined ? str("DECLINE_CARD", "4000 0000 0000 0002") : "4242 4242 4242 4242",
      expMonth: 12,
      expYear: 2030,
      cvc: "123",
      name: `Load Test ${exec.vu.idInTest}`,
    },
  });
  const params = {
    headers: auth(token, { "Idempotency-Key": uuid(), ...withAdmission }),
    tags: { name: routes.book },
  };
  const res = http.post(`${BASE_URL}/bookings/${eventId}`, payload, params);
  const status = allow(res, [200, 201, 402, 409]);
  const bookingId = json<{ bookingId?: string }>(res.body)?.bookingId;
  check(res, {
    "booking 201/409/402": (r) => [201, 200, 402, 409].includes(r.status),
    "confirmed booking has an id": (r) => r.status !== 201 || !!bookingId,
  });
  if (status === 201 || status === 200) {
    bookingsConfirmed.add(1);
    ticketsSold.add(hold.ticketIds.length);
    admission = undefined; // done: the edge freed this shopper's slot
    timeToBook.add(Date.now() - started);
  } else if (status === 409) {
    bookingConflicts.add(1); // hold expired and the seat went to someone else
  } else if (status === 402) {
    paymentsDeclined.add(1);
  }

  // A client retry with the same key must get the first answer back, never a second charge.
  if (Math.random() < REPLAY_RATE) {
    const replay = http.post(`${BASE_URL}/bookings/${eventId}`, payload, params);
    idempotentReplays.add(1);
    const again = json<{ bookingId?: string }>(replay.body);
    check(replay, {
      "replay returns the first status": (r) => r.status === status,
      "replay returns the same booking": () => bookingId === undefined || again?.bookingId === bookingId,
    });
  }
  sleep(1);
}
