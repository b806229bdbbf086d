import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Link } from "react-router";
import { api } from "../api/client.ts";
import { useSession } from "../api/session.ts";
import { money, when } from "../lib/format.ts";
import { useLoad } from "../lib/use-load.ts";
import { useTitle } from "../lib/use-title.ts";
import { bookingStatusText } from "./BookingDetail.tsx";
import { eventPageOf } from "./booking-view.ts";

export function MyBookingsPage() {
  useTitle("My bookings");
  const me = useSession();
  const list = useLoad(
    async (signal) => {
      if (!me) return [];
      const { bookings } = await api.listMyBookings({ pageSize: 50 }, { signal });
      const ids = [...new Set(bookings.map((b) => b.eventId))];
      const pages = new Map(
        await Promise.all(ids.map(async (id) => [id, await eventPageOf(id, signal)] as const)),
      );
      return bookings.map((booking) => ({ booking, page: pages.get(booking.eventId) }));
    },
    [me?.token],
  );
  if (!me) {
    return (
      <>
        <h1>My bookings</h1>
        <p>
          Please <Link to="/signin?next=/my/bookings">sign in</Link> to see your bookings.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>My bookings</h1>
      {list.error ? <p role="alert">Your bookings could not be loaded; please reload.</p> : null}
      {list.data?.length === 0 && (
        <p>
          No bookings yet. <Link to="/">Find an event</Link>
        </p>
      )}
      <ul className="bookings">
        {list.data?.map(({ booking, page }) => (
          <li key={booking.id} className="event-card">
            <h2 className="event-name">
              <Link to={`/my/bookings/${booking.id}`}>{page?.event?.name ?? "Booking"}</Link>
            </h2>
            <p>{when(page?.event?.startsAt, page?.venue?.timezone)}</p>
            <p>{page?.venue ? `${page.venue.name}, ${page.venue.city}` : ""}</p>
            <p>
              {booking.ticketIds.length} {booking.ticketIds.length === 1 ? "ticket" : "tickets"} ·{" "}
              {money(booking.totalCents, booking.currency || "USD")} · {bookingStatusText[booking.status]}
              {booking.createdAt && (
                <span className="muted">
                  {" "}
                  · booked {timestampDate(booking.createdAt).toLocaleDateString("en-US")}
                </span>
              )}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
