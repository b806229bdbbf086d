import { Link, useSearchParams } from "react-router";
import { SearchSort } from "#gen/ticketing/search/v1/search_pb.js";
import { api } from "../api/client.ts";
import { EventList, Pager } from "../components/EventList.tsx";
import { SearchBox } from "../components/SearchBox.tsx";
import { useLoad } from "../lib/use-load.ts";
import { useTitle } from "../lib/use-title.ts";

/**
 * The tours the home page features. The API has no "featured" list yet, so the storefront names
 * them; each is a search the buyer can refine.
 */
const headlineTours = [
  { title: "Taylor Swift | The Eras Tour", query: "eras tour", blurb: "Stadiums, ten cities." },
  { title: "Neon Wolves — Electric Skies Tour", query: "electric skies", blurb: "Arenas, twelve cities." },
];

const pageSize = 12;

export function HomePage() {
  useTitle("Tickets for live events");
  const [params] = useSearchParams();
  const page = Math.max(1, Number(params.get("page")) || 1);
  const upcoming = useLoad(
    (signal) => api.searchEvents({ sort: SearchSort.DATE, pageSize, page }, { signal }),
    [page],
  );
  return (
    <>
      <section className="hero">
        <h1>Find tickets for live events</h1>
        <SearchBox />
      </section>
      <section aria-labelledby="tours">
        <h2 id="tours">Headline tours</h2>
        <ul className="tours">
          {headlineTours.map((tour) => (
            <li key={tour.query} className="tour">
              <Link to={`/search?q=${encodeURIComponent(tour.query)}&sort=date`}>{tour.title}</Link>
              <p className="muted">{tour.blurb}</p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="upcoming">
        <h2 id="upcoming">Upcoming events</h2>
        {upcoming.error ? <p role="alert">Upcoming events could not be loaded. Please reload.</p> : null}
        {upcoming.data ? (
          <>
            <EventList events={upcoming.data.events} />
            <Pager
              page={page}
              pageSize={pageSize}
              total={Number(upcoming.data.total)}
              hrefFor={(p) => `/?page=${p}`}
            />
          </>
        ) : (
          !upcoming.error && <p aria-busy="true">Loading…</p>
        )}
      </section>
    </>
  );
}
