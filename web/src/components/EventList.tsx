import { Link } from "react-router";
import type { EventSummary } from "#gen/ticketing/search/v1/search_pb.js";
import { money, when } from "../lib/format.ts";

/** What the search result carries about an event's state, when the index has it. */
function badges(event: EventSummary): string[] {
  const status = (event as { status?: number }).status;
  const out: string[] = [];
  // catalog.v1.EventStatus: 4 = cancelled, 3 = postponed.
  if (status === 4) out.push("Cancelled");
  else if (status === 3) out.push("Postponed");
  const soldOut = (event as { soldOut?: boolean }).soldOut;
  if (soldOut) out.push("Sold out");
  return out;
}

export function EventList({ events, headingLevel = 3 }: { events: EventSummary[]; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul className="event-list">
      {events.map((event) => (
        <li key={event.id} className="event-card">
          <Heading className="event-name">
            <Link to={`/e/${event.id}`}>{event.name}</Link>
          </Heading>
          <p className="event-when">{when(event.startsAt, (event as { timezone?: string }).timezone)}</p>
          <p className="event-where">
            {event.venueName}, {event.city}
          </p>
          <p className="event-price">
            {event.minPriceCents !== undefined ? `From ${money(event.minPriceCents)}` : "No tickets listed"}
            {badges(event).map((b) => (
              <span key={b} className={`badge badge-${b.toLowerCase().replace(" ", "-")}`}>
                {b}
              </span>
            ))}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Previous / next links that keep every other query parameter. */
export function Pager({
  page,
  pageSize,
  total,
  hrefFor,
}: {
  page: number;
  pageSize: number;
  total: number;
  hrefFor: (page: number) => string;
}) {
  const last = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  if (last <= 1) return null;
  return (
    <nav aria-label="Pages" className="pager">
      {page > 1 ? <Link to={hrefFor(page - 1)}>Previous page</Link> : <span />}
      <span>
        Page {page} of {last.toLocaleString("en-US")}
      </span>
      {page < last ? <Link to={hrefFor(page + 1)}>Next page</Link> : <span />}
    </nav>
  );
}
