// Search under load: a mix of keyword, typo, filtered, date-bounded and paged queries, at a
// rising request rate. The architecture's target is p95 well under 500 ms.
//
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e RATE=300 loadtest/k6/search.ts
import { check } from "k6";
import { SharedArray } from "k6/data";
import http from "k6/http";
import type { Options } from "k6/options";
import { BASE_URL, json, num, pick } from "./lib/env.ts";
import { routes } from "./lib/event.ts";

const RATE = num("RATE", 100);
const MAX_VUS = num("MAX_VUS", 500);

export const options: Options = {
  scenarios: {
    search: {
      executor: "ramping-arrival-rate",
      startRate: 1,
      timeUnit: "1s",
      preAllocatedVUs: Math.min(MAX_VUS, Math.max(10, RATE)),
      maxVUs: MAX_VUS,
      stages: [
        { target: RATE, duration: `${num("RAMP_SECONDS", 30)}s` },
        { target: RATE, duration: `${num("PLATEAU_SECONDS", 60)}s` },
        { target: 0, duration: "10s" },
      ],
      gracefulStop: "10s",
    },
  },
  thresholds: {
    [`http_req_duration{name:${routes.search}}`]: ["p(95)<500", "p(99)<1000"],
    "http_req_duration{query:keyword}": ["p(95)<500"],
    "http_req_duration{query:filtered}": ["p(95)<500"],
    http_req_failed: ["rate<0.01"],
    checks: ["rate>0.99"],
    dropped_iterations: ["count<100"],
  },
  summaryTrendStats: ["avg", "med", "p(90)", "p(95)", "p(99)", "max"],
};

type Query = Record<string, string | number>;
type Kind = "keyword" | "typo" | "filtered" | "browse" | "deep-page";

// Overridable through SEARCH_KEYWORDS / SEARCH_CITIES / SEARCH_CATEGORIES (comma-separated) to match
// the seeded catalog.
const list = (name: string, fallback: string) =>
  new SharedArray(name, () => (__ENV[name] || fallback).split(",").map((s) => s.trim()));
const keywords = list("SEARCH_KEYWORDS", "taylor swift,jazz,symphony,comedy,rock,hamilton,festival,opera");
const typos = list("SEARCH_TYPOS", "taylr swift,jaz,symphny,comdy,hamilon,festivl");
const cities = list("SEARCH_CITIES", "New York,London,Berlin,Chicago,San Francisco,Paris");
const categories = list("SEARCH_CATEGORIES", "concert,sports,theater,comedy");

const day = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString();

/** Weighted like real traffic: mostly keywords, then filters, some browsing and deep pages. */
function nextQuery(): { kind: Kind; query: Query } {
  const r = Math.random();
  if (r < 0.4) return { kind: "keyword", query: { keyword: pick(keywords), page: 1, pageSize: 20 } };
  if (r < 0.5) return { kind: "typo", query: { keyword: pick(typos), page: 1, pageSize: 20 } };
  if (r < 0.8) {
    const query: Query = { city: pick(cities), start: iso(0), end: iso(pick([7, 30, 90])), pageSize: 20 };
    if (Math.random() < 0.5) query.category = pick(categories);
    if (Math.random() < 0.5) query.keyword = pick(keywords);
    query.sort = pick(["relevance", "date"]);
    return { kind: "filtered", query };
  }
  if (r < 0.95) return { kind: "browse", query: { start: iso(0), sort: "date", page: 1, pageSize: 20 } };
  return { kind: "deep-page", query: { keyword: pick(keywords), page: pick([2, 3, 5, 10]), pageSize: 20 } };
}

function queryString(q: Query): string {
  return Object.entries(q)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
}

export default function (): void {
  const { kind, query } = nextQuery();
  const res = http.get(`${BASE_URL}/events/search?${queryString(query)}`, {
    tags: { name: routes.search, query: kind },
  });
  const body = json<{ events?: unknown[]; total?: number | string }>(res.body);
  check(res, {
    "search 200": (r) => r.status === 200,
    "search returns a result list": () => Array.isArray(body?.events),
    "search page within pageSize": () => (body?.events?.length ?? 0) <= Number(query.pageSize),
  });
}
