// Search: every criterion lives in the query string, so a result page is a link and Back works.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { SearchSort } from "#gen/ticketing/search/v1/search_pb.js";
import { api } from "../api/client.ts";
import { problemOf } from "../api/problems.ts";
import { EventList, Pager } from "../components/EventList.tsx";
import { SearchBox } from "../components/SearchBox.tsx";
import { announce } from "../lib/announce.ts";
import { useLoad } from "../lib/use-load.ts";
import { useTitle } from "../lib/use-title.ts";

export const categories = ["concert", "sports", "theater", "comedy", "family"] as const;
const pageSize = 10;
const filterKeys = ["from", "to", "city", "category"] as const;

/** A yyyy-mm-dd day as the start (or end) of that day, UTC. */
function day(value: string | null, end = false) {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T${end ? "23:59:59.999" : "00:00:00"}Z`);
  return Number.isNaN(date.getTime()) ? undefined : timestampFromDate(date);
}

export function SearchPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const q = params.get("q") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const sort = params.get("sort") === "date" ? SearchSort.DATE : SearchSort.UNSPECIFIED;
  useTitle(q ? `“${q}” — search` : "Search events");

  const results = useLoad(
    async (signal) => {
      const start = day(params.get("from"));
      const end = day(params.get("to"), true);
      const res = await api.searchEvents(
        {
          keyword: q,
          // Someone looking for a named event should learn it was cancelled (the card says so);
          // browsing by date leaves cancelled events out.
          includeCancelled: q.trim() !== "",
          city: params.get("city") ?? "",
          category: params.get("category") ?? "",
          sort,
          page,
          pageSize,
          ...(start ? { start } : {}),
          ...(end ? { end } : {}),
        },
        { signal },
      );
      announce(`${Number(res.total).toLocaleString("en-US")} events found`);
      return res;
    },
    [params.toString()],
  );

  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    return `/search?${next.toString()}`;
  };

  const applyFilters = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const changes: Record<string, string | null> = { page: null };
    for (const key of [...filterKeys, "sort"]) changes[key] = String(form.get(key) ?? "") || null;
    navigate(hrefWith(changes));
  };

  const filtered = filterKeys.some((k) => params.get(k));
  const problem = results.error ? problemOf(results.error) : undefined;
  return (
    <>
      <h1>Search events</h1>
      <SearchBox initial={q} />
      <form className="filters" aria-label="Filters" onSubmit={applyFilters} key={params.toString()}>
        <label>
          From
          <input type="date" name="from" defaultValue={params.get("from") ?? ""} />
        </label>
        <label>
          To
          <input type="date" name="to" defaultValue={params.get("to") ?? ""} />
        </label>
        <label>
          City
          <input
            type="text"
            name="city"
            defaultValue={params.get("city") ?? ""}
            autoComplete="address-level2"
          />
        </label>
        <label>
          Category
          <select name="category" defaultValue={params.get("category") ?? ""}>
            <option value="">Any</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c[0]?.toUpperCase()}
                {c.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort by
          <select name="sort" defaultValue={params.get("sort") ?? ""}>
            <option value="">Best match</option>
            <option value="date">Date</option>
          </select>
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <section aria-labelledby="results" aria-busy={results.loading}>
        <h2 id="results">
          {results.data
            ? `${Number(results.data.total).toLocaleString("en-US")} ${Number(results.data.total) === 1 ? "event" : "events"}${q ? ` for “${q}”` : ""}`
            : "Results"}
        </h2>
        {problem && (
          <p role="alert">
            {problem.kind === "invalid" ? problem.message : "Search failed; please try again."}
          </p>
        )}
        {results.data && results.data.events.length === 0 && (
          <div className="empty">
            <p>No events match this search.</p>
            <ul>
              {filtered && (
                <li>
                  <Link to={hrefWith({ from: null, to: null, city: null, category: null, page: null })}>
                    Search without date, city and category filters
                  </Link>
                </li>
              )}
              {q && (
                <li>
                  <Link to={`/search?q=${encodeURIComponent(q.split(/\s+/)[0] ?? "")}`}>
                    Search for “{q.split(/\s+/)[0]}” only
                  </Link>
                </li>
              )}
              <li>
                <Link to="/search?sort=date">Browse all upcoming events</Link>
              </li>
            </ul>
          </div>
        )}
        {results.data && results.data.events.length > 0 && (
          <>
            <EventList events={results.data.events} />
            <Pager
              page={page}
              pageSize={pageSize}
              total={Number(results.data.total)}
              hrefFor={(p) => hrefWith({ page: String(p) })}
            />
          </>
        )}
      </section>
    </>
  );
}
