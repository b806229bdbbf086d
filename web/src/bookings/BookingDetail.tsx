import { Link, useParams } from "react-router";
import { BookingStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { problemOf } from "../api/problems.ts";
import { useSession } from "../api/session.ts";
import { money, when } from "../lib/format.ts";
import { useLoad } from "../lib/use-load.ts";
import { useTitle } from "../lib/use-title.ts";
import { bookingView } from "./booking-view.ts";

export const bookingStatusText: Record<BookingStatus, string> = {
  [BookingStatus.UNSPECIFIED]: "Unknown",
  [BookingStatus.PENDING]: "Being confirmed",
  [BookingStatus.CONFIRMED]: "Confirmed",
  [BookingStatus.FAILED]: "Failed — not charged",
  [BookingStatus.NEEDS_REVIEW]: "Being checked by our team",
};

/** The confirmation page right after paying, and a booking's page in My bookings. */
export function BookingDetail({ confirmation = false }: { confirmation?: boolean }) {
  const { bookingId = "" } = useParams();
  const me = useSession();
  useTitle(confirmation ? "Booking confirmed" : "Booking");
  const view = useLoad((signal) => bookingView(bookingId, signal), [bookingId, me?.token]);
  if (!me) {
    return (
      <p>
        Please <Link to={`/signin?next=${encodeURIComponent(`/my/bookings/${bookingId}`)}`}>sign in</Link> to
        see this booking.
      </p>
    );
  }
  if (view.error) {
    const p = problemOf(view.error);
    return (
      <>
        <h1>Booking not found</h1>
        <p>{p.kind === "not_found" ? "There is no booking with this id in your account." : p.message}</p>
        <Link to="/my/bookings">My bookings</Link>
      </>
    );
  }
  if (!view.data) return <p aria-busy="true">Loading booking…</p>;
  const { booking, page, seats } = view.data;
  return (
    <article className="booking narrow">
      <h1>{confirmation ? "You're going!" : (page?.event?.name ?? "Booking")}</h1>
      {confirmation && <p className="success">Booking confirmed. A receipt is in My bookings.</p>}
      <dl className="facts">
        <dt>Event</dt>
        <dd>{page?.event ? <Link to={`/e/${booking.eventId}`}>{page.event.name}</Link> : "Event"}</dd>
        <dt>Date</dt>
        <dd>{when(page?.event?.startsAt, page?.venue?.timezone)}</dd>
        <dt>Venue</dt>
        <dd>{page?.venue ? `${page.venue.name}, ${page.venue.city}` : "—"}</dd>
        <dt>Seats</dt>
        <dd>
          <ul>
            {seats.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: GA places can share a label
              <li key={i}>{s}</li>
            ))}
          </ul>
        </dd>
        <dt>Total</dt>
        <dd>{money(booking.totalCents, booking.currency || "USD")}</dd>
        <dt>Paid with</dt>
        <dd>
          {booking.cardBrand.charAt(0).toUpperCase() + booking.cardBrand.slice(1)} ending {booking.cardLast4}
        </dd>
        <dt>Status</dt>
        <dd>{bookingStatusText[booking.status]}</dd>
        <dt>Booking reference</dt>
        <dd>
          <code>{booking.id}</code>
        </dd>
      </dl>
      <p>
        <Link to="/my/bookings">All my bookings</Link>
      </p>
    </article>
  );
}
