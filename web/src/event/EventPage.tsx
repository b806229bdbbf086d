// The event page: what, when (in the venue's zone), where, who; sections with availability and
// price; the chosen section's seat map or quantity picker; the selection and "hold". The chosen
// section and seats are in the URL, so signing in (or a reload) comes back to the same seats.
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { EventStatus, type Section, SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { type Ticket, TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { QueueState } from "#gen/ticketing/queue/v1/queue_pb.js";
import { api } from "../api/client.ts";
import { problemOf } from "../api/problems.ts";
import { useSession } from "../api/session.ts";
import { checkouts } from "../checkout/checkout-store.ts";
import { money, when } from "../lib/format.ts";
import { useOnDemand } from "../lib/on-demand.ts";
import { useLoad } from "../lib/use-load.ts";
import { useTitle } from "../lib/use-title.ts";
import { admissions, queuePath } from "../queue/admissions.ts";
import { seatMapCode } from "./event-code.ts";
import { prefetchedPage } from "./event-prefetch.ts";
import { GaPicker } from "./GaPicker.tsx";
import { maxPerOrder, seatLabel, seatState } from "./seat-label.ts";
import { useSectionTickets } from "./use-section-tickets.ts";

void seatMapCode.preload().catch(() => {});

const statusText: Partial<Record<EventStatus, string>> = {
  [EventStatus.SCHEDULED]: "Not on sale yet",
  [EventStatus.POSTPONED]: "Postponed",
  [EventStatus.CANCELLED]: "Cancelled",
};

export function EventPage() {
  const { eventId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const me = useSession();
  const sectionId = params.get("section") ?? undefined;
  const page = useLoad(
    (signal) => prefetchedPage(eventId) ?? api.getEventPage({ eventId }, { signal }),
    [eventId],
    5000,
  );
  const seatMap = useOnDemand(seatMapCode);
  const tickets = useSectionTickets(eventId, sectionId);
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const mine = useMemo(() => checkouts.heldTicketIds(), []);

  const event = page.data?.event;
  const venue = page.data?.venue;
  const here = `/e/${eventId}?${params.toString()}`;
  const onSale = event?.status === EventStatus.ON_SALE;

  // Events with a waiting room: a signed-in buyer without an admission takes a place in line first
  // (the queue says "not required" for the others). Once per visit; the URL keeps the seats.
  const joined = useRef(false);
  useEffect(() => {
    if (!me || !onSale || joined.current || admissions.token(eventId)) return;
    joined.current = true;
    api
      .joinQueue({ eventId })
      .then(({ status }) => {
        if (status?.state === QueueState.WAITING) navigate(queuePath(eventId, here));
        else if (status?.state === QueueState.SOLD_OUT)
          setNotice("Sold out: every ticket for this event has been sold.");
        else if (status?.state === QueueState.ADMITTED && status.shoppingEndsAt)
          admissions.save(eventId, status.admissionToken, Number(status.shoppingEndsAt.seconds) * 1000);
      })
      .catch(() => {
        // No answer from the queue: holds say whether admission is needed.
      });
  }, [me, onSale, eventId, here, navigate]);
  useTitle(event?.name ?? "Event");
  const section = venue?.sections.find((s) => s.id === sectionId);
  const availability = new Map(page.data?.availability.map((a) => [a.sectionId, a]));

  const selected = useMemo(() => new Set((params.get("seats") ?? "").split(",").filter(Boolean)), [params]);
  const quantity = Number(params.get("qty")) || 0;
  // From the URL as it is now, not as it was at the last render: two key presses can land between
  // renders, and the second must not drop the seat the first one picked.
  const setSelection = (change: (ids: string[]) => string[], qty?: number) => {
    const next = new URLSearchParams(window.location.search);
    const ids = change((next.get("seats") ?? "").split(",").filter(Boolean));
    if (ids.length) next.set("seats", ids.join(","));
    else next.delete("seats");
    if (qty) next.set("qty", String(qty));
    else next.delete("qty");
    setParams(next, { replace: true });
  };

  // Seats someone else took since they were picked leave the selection, and the buyer is told.
  const list = tickets.data;
  const currency = list?.[0]?.currency || "USD";
  const lastList = useRef<Ticket[] | undefined>(undefined);
  useEffect(() => {
    if (!list || list === lastList.current || !section || section.kind !== SectionKind.SEATED) return;
    lastList.current = list;
    const gone = list.filter((t) => selected.has(t.id) && seatState(t, mine) !== "available");
    if (gone.length === 0) return;
    const names = gone.map((t) => seatLabel(section, t)).join("; ");
    const text = `${names} ${gone.length === 1 ? "was" : "were"} just taken by another buyer. Please pick another seat.`;
    setNotice(text);
    setSelection((ids) => ids.filter((id) => !gone.some((t) => t.id === id)));
  });

  if (page.error && !page.data) {
    const p = problemOf(page.error);
    return (
      <>
        <h1>
          {p.kind === "not_found" || p.kind === "invalid"
            ? "Event not found"
            : "This event could not be loaded"}
        </h1>
        <p>
          <Link to="/search">Search for events</Link>
        </p>
      </>
    );
  }
  if (!event || !venue) return <p aria-busy="true">Loading event…</p>;

  const chosen: Ticket[] =
    section?.kind === SectionKind.GENERAL_ADMISSION
      ? (list ?? []).filter((t) => seatState(t, mine) === "available").slice(0, quantity)
      : (list ?? []).filter((t) => selected.has(t.id));
  const total = chosen.reduce((sum, t) => sum + Number(t.priceCents), 0);

  const toggle = (t: Ticket) => {
    setNotice(undefined);
    const now = new URLSearchParams(window.location.search).get("seats")?.split(",").filter(Boolean) ?? [];
    if (now.includes(t.id)) return setSelection((ids) => ids.filter((id) => id !== t.id));
    if (now.length >= maxPerOrder) {
      setNotice(`You can choose up to ${maxPerOrder} tickets per order.`);
      return;
    }
    setSelection((ids) => [...ids, t.id]);
  };

  const hold = async () => {
    if (!me) {
      navigate(`/signin?next=${encodeURIComponent(here)}`);
      return;
    }
    setBusy(true);
    setNotice(undefined);
    try {
      const res = await api.holdTickets({
        eventId,
        ticketIds: chosen.map((t) => t.id),
        admissionToken: admissions.token(eventId),
      });
      checkouts.save({
        holdId: res.holdId,
        eventId,
        eventName: event.name,
        sectionId: section?.id ?? "",
        currency,
        expiresAt: res.expiresAt ? Number(res.expiresAt.seconds) * 1000 : Date.now(),
        seats: chosen.map((t) => ({
          id: t.id,
          label: seatLabel(section, t),
          priceCents: Number(t.priceCents),
        })),
        idempotencyKey: crypto.randomUUID(),
      });
      navigate(`/checkout/${res.holdId}`);
    } catch (err) {
      const p = problemOf(err);
      if (p.kind === "signed_out") {
        navigate(`/signin?next=${encodeURIComponent(here)}`);
        return;
      }
      if (p.kind === "admission") {
        admissions.forget(eventId);
        navigate(queuePath(eventId, here));
        return;
      }
      if (p.kind === "seat_taken") {
        // Which seat: read the section again and name the chosen seats that are no longer free.
        const fresh = (await api.listSectionTickets({ eventId, sectionId: section?.id ?? "" })).tickets;
        const gone = fresh.filter(
          (t) => chosen.some((c) => c.id === t.id) && t.status !== TicketStatus.AVAILABLE,
        );
        const names = gone.map((t) => seatLabel(section, t)).join("; ") || "One of your seats";
        const text = `${names} ${gone.length > 1 ? "were" : "was"} just taken by another buyer. Please pick another seat.`;
        lastList.current = fresh;
        await tickets.reload();
        setSelection((ids) => ids.filter((id) => !gone.some((t) => t.id === id)), quantity);
        setNotice(text);
      } else {
        setNotice(p.message);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="event-page">
      <header className="event-header">
        <p className="muted category">{event.category}</p>
        <h1>{event.name}</h1>
        {statusText[event.status] && <p className="badge badge-status">{statusText[event.status]}</p>}
        <p className="event-when">{when(event.startsAt, venue.timezone)}</p>
        <p className="event-where">
          {venue.name} · {venue.address ? `${venue.address}, ` : ""}
          {venue.city}, {venue.country}
        </p>
        {page.data?.performers.length ? (
          <p>With {page.data.performers.map((p) => p.name).join(", ")}</p>
        ) : null}
        {event.description && <p className="description">{event.description}</p>}
      </header>

      <section aria-labelledby="tickets-heading">
        <h2 id="tickets-heading">Tickets</h2>
        <p className="limit">
          Up to {maxPerOrder} tickets per order. Seats you pick are yours to pay for once you hold them; a
          hold lasts a few minutes.
        </p>
        <SectionList
          eventId={eventId}
          sections={venue.sections}
          availability={availability}
          currency={currency}
          current={sectionId}
        />
      </section>

      {section && (
        <section aria-labelledby="section-heading" className="section-detail">
          <h2 id="section-heading">
            {section.kind === SectionKind.SEATED ? `Section ${section.name}` : section.name}
          </h2>
          {!onSale && <p>Tickets for this event are not on sale.</p>}
          {tickets.error && !list ? <p role="alert">Seats could not be loaded; retrying…</p> : null}
          {list &&
            onSale &&
            section.kind === SectionKind.SEATED &&
            (seatMap.module ? (
              <seatMap.module.default
                section={section}
                tickets={list}
                selected={selected}
                mine={mine}
                currency={currency}
                onToggle={toggle}
              />
            ) : seatMap.failed ? (
              <p role="alert">The seat map could not be loaded. Please reload.</p>
            ) : (
              <p aria-busy="true">Drawing the seat map…</p>
            ))}
          {list && onSale && section.kind === SectionKind.GENERAL_ADMISSION && (
            <GaPicker
              section={section}
              available={list.filter((t) => seatState(t, mine) === "available").length}
              priceCents={list[0]?.priceCents ?? 0n}
              currency={currency}
              quantity={quantity}
              onQuantity={(n) => setSelection(() => [], n)}
            />
          )}
        </section>
      )}

      <div className="notice" role="status">
        {notice}
      </div>

      {chosen.length > 0 && (
        <aside className="selection" aria-label="Your selection">
          <h2>Your selection</h2>
          <ul>
            {chosen.map((t) => (
              <li key={t.id}>
                {seatLabel(section, t)} — {money(t.priceCents, currency)}
              </li>
            ))}
          </ul>
          <p className="total">
            {chosen.length} {chosen.length === 1 ? "ticket" : "tickets"}, total {money(total, currency)}
          </p>
          <button type="button" className="primary" onClick={hold} disabled={busy}>
            {me ? "Hold and check out" : "Sign in to check out"}
          </button>
        </aside>
      )}
    </article>
  );
}

function SectionList(props: {
  eventId: string;
  sections: Section[];
  availability: Map<string, { available: number; minPriceCents: bigint; maxPriceCents: bigint }>;
  currency: string;
  current: string | undefined;
}) {
  return (
    <ul className="sections">
      {props.sections.map((s) => {
        const a = props.availability.get(s.id);
        const price = a
          ? a.minPriceCents === a.maxPriceCents
            ? money(a.minPriceCents, props.currency)
            : `${money(a.minPriceCents, props.currency)}–${money(a.maxPriceCents, props.currency)}`
          : "";
        return (
          <li key={s.id} className={s.id === props.current ? "current" : undefined}>
            <Link
              to={`/e/${props.eventId}?section=${s.id}`}
              aria-current={s.id === props.current ? "true" : undefined}
            >
              {s.kind === SectionKind.SEATED ? `Section ${s.name}` : `${s.name} (general admission)`}
            </Link>
            <span className="muted">
              {a
                ? `${a.available.toLocaleString("en-US")} of ${s.capacity.toLocaleString("en-US")} left`
                : "No tickets"}
              {price && ` · ${price}`}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
