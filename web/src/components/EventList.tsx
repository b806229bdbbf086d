import { Link } from "react-router";
import { EventStatus } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { EventSummary } from "#gen/ticketing/search/v1/search_pb.js";
import { eventPageCode } from "../event/event-code.ts";
import { prefetchEvent } from "../event/event-prefetch.ts";
import { money, when } from "../lib/format.ts";

/** A hovered or focused result is likely next: its page's code starts loading. */
const warm = () => void eventPageCode.preload().catch(() => {});

/** Badges in words (colour is only a second cue): the event's state and whether it is sold out. */
function badgesOf(event: Pick<EventSummary, "status" | "soldOut">): string[] {
  if (event.status === EventStatus.CANCELLED) return ["Cancelled"];
  const out = event.status === EventStatus.POSTPONED ? ["Postponed"] : [];
  if (event.soldOut) out.push("Sold out");
  return out;
}

function priceLine(event: EventSummary): string | null {
  if (event.minPriceCents !== undefined) return `From ${money(event.minPriceCents)}`;
  return event.soldOut || event.status === EventStatus.CANCELLED ? null : "No tickets listed";
}

export function EventList({ events, headingLevel = 3 }: { events: EventSummary[]; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul className="event-list">
      {events.map((event) => {
        const badges = badgesOf(event);
        return (
          <li key={event.id} className="event-card">
            <Heading className="event-name">
              <Link
                to={`/e/${event.id}`}
                onMouseEnter={warm}
                onFocus={warm}
                onClick={() => prefetchEvent(event.id)}
              >
                {event.name}
              </Link>
            </Heading>
            <p className="event-when">{when(event.startsAt, event.timezone)}</p>
            <p className="event-where">
              {event.venueName}, {event.city}
            </p>
            <p className="event-price">
              {priceLine(event)}
              {badges.map((b) => (
                <span key={b} className={`badge badge-${b.toLowerCase().replace(" ", "-")}`}>
                  {b}
                </span>
              ))}
            </p>
          </li>
        );
      })}
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
