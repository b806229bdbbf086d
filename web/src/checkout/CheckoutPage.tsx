// Checkout: the hold's countdown, a release button, and the payment form. One Idempotency-Key per
// payment attempt: a double click, a retry after a network failure or a busy answer resend the same
// key (so nothing is ever booked twice); a definite "no" (declined, invalid) starts a new attempt.
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { TicketStatus } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { api } from "../api/client.ts";
import { problemOf } from "../api/problems.ts";
import { useSession } from "../api/session.ts";
import { announce } from "../lib/announce.ts";
import { clock, money } from "../lib/format.ts";
import { useNow } from "../lib/use-now.ts";
import { useTitle } from "../lib/use-title.ts";
import { admissions } from "../queue/admissions.ts";
import { type CardErrors, type CardInput, checkCard, numberFeedback, parseExpiry } from "./card-checks.ts";
import { bookingSeats, type Checkout, checkouts } from "./checkout-store.ts";
import { PaymentFields } from "./PaymentFields.tsx";

export function CheckoutPage() {
  useTitle("Checkout");
  const { holdId = "" } = useParams();
  const navigate = useNavigate();
  const me = useSession();
  const [checkout, setCheckout] = useState<Checkout | undefined>(() => checkouts.load(holdId));
  const [card, setCard] = useState<CardInput>({ number: "", expiry: "", cvc: "", name: "" });
  const [errors, setErrors] = useState<CardErrors>({});
  const [message, setMessage] = useState<{ text: string; kind: "error" | "info" }>();
  const [paying, setPaying] = useState(false);
  const [ended, setEnded] = useState<"expired" | "released" | "taken">();
  const now = useNow(1000);
  const form = useRef<HTMLFormElement>(null);
  const warned = useRef(false);

  const remaining = checkout ? checkout.expiresAt - now : 0;
  useEffect(() => {
    if (!checkout || ended) return;
    if (remaining <= 0) {
      setEnded("expired");
      checkouts.remove(checkout.holdId);
    } else if (remaining <= 60_000 && !warned.current) {
      warned.current = true;
      announce("One minute left to complete your purchase.");
    }
  }, [remaining, checkout, ended]);

  if (!me) {
    return (
      <section className="narrow">
        <h1>Checkout</h1>
        <p>
          Please <Link to={`/signin?next=${encodeURIComponent(`/checkout/${holdId}`)}`}>sign in</Link> to
          continue.
        </p>
      </section>
    );
  }
  if (!checkout) {
    return (
      <section className="narrow">
        <h1>Checkout</h1>
        <p>This checkout is not open in this tab any more. Your seats are released when the hold ends.</p>
        <p>
          <Link to="/">Find events</Link>
        </p>
      </section>
    );
  }

  const back = `/e/${checkout.eventId}?section=${checkout.sectionId}`;
  const total = checkout.seats.reduce((s, x) => s + x.priceCents, 0);
  const update = (next: Checkout) => {
    checkouts.save(next);
    setCheckout(next);
  };
  const newAttempt = () => update({ ...checkout, idempotencyKey: crypto.randomUUID() });

  const release = async () => {
    try {
      await api.releaseHold({ holdId: checkout.holdId });
    } catch {
      // Expired or already gone: the seats are free either way.
    }
    checkouts.remove(checkout.holdId);
    navigate(back);
  };

  const pay = async (e: FormEvent) => {
    e.preventDefault();
    if (paying) return;
    const found = checkCard(card);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = Object.keys(found)[0];
      form.current?.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
      return;
    }
    const exp = parseExpiry(card.expiry);
    setPaying(true);
    setMessage({ text: "Paying…", kind: "info" });
    try {
      const { booking } = await api.bookTickets({
        eventId: checkout.eventId,
        ticketIds: checkout.seats.map((s) => s.id),
        holdId: checkout.holdId,
        idempotencyKey: checkout.idempotencyKey,
        admissionToken: admissions.token(checkout.eventId),
        payment: {
          cardNumber: card.number.trim(),
          expMonth: exp?.month ?? 0,
          expYear: exp?.year ?? 0,
          cvc: card.cvc.trim(),
          name: card.name.trim(),
        },
      });
      const id = booking?.id ?? "";
      bookingSeats.save(id, checkout.seats);
      checkouts.remove(checkout.holdId);
      navigate(`/confirmation/${id}`, { replace: true });
    } catch (err) {
      const p = problemOf(err);
      setPaying(false);
      let text: string;
      if (p.kind === "declined") {
        text = `Your card was declined (${p.message}). Nothing was charged; your seats are still held — try another card.`;
        newAttempt();
      } else if (p.kind === "seat_taken") {
        const ids = new Set(checkout.seats.map((s) => s.id));
        const fresh = await api
          .listSectionTickets({ eventId: checkout.eventId, sectionId: checkout.sectionId })
          .then((r) =>
            r.tickets.filter(
              (t) => ids.has(t.id) && (p.takenTicketIds?.includes(t.id) || t.status === TicketStatus.SOLD),
            ),
          )
          .catch(() => []);
        const names = checkout.seats.filter((s) => fresh.some((t) => t.id === s.id)).map((s) => s.label);
        text = `${names.join("; ") || "One of your seats"} was sold to someone else. You were not charged.`;
        checkouts.remove(checkout.holdId);
        setEnded("taken");
      } else if (p.kind === "hold_lost") {
        text = "Your hold has expired and the seats were released. You were not charged.";
        checkouts.remove(checkout.holdId);
        setEnded("expired");
      } else if (p.kind === "admission") {
        text =
          "Your shopping time from the waiting room is over; you were not charged. Join the line again for this event.";
        checkouts.remove(checkout.holdId);
        setEnded("taken");
      } else if (p.kind === "busy") {
        text = `${p.message} Your seats are still held.`;
      } else {
        text = p.message;
        newAttempt();
      }
      setMessage({ text, kind: "error" });
    }
  };

  const feedback = numberFeedback(card.number);
  return (
    <section className="checkout">
      <h1>Checkout</h1>
      <div className="checkout-grid">
        <div className="order">
          <h2>{checkout.eventName}</h2>
          <ul>
            {checkout.seats.map((s) => (
              <li key={s.id}>
                {s.label} — {money(s.priceCents, checkout.currency)}
              </li>
            ))}
          </ul>
          <p className="total">Total {money(total, checkout.currency)}</p>
          {ended ? (
            <div className="ended" role="alert">
              <p>
                {ended === "expired"
                  ? "Your hold has expired and the seats were released."
                  : ended === "taken"
                    ? (message?.text ?? "A seat was sold to someone else.")
                    : "Hold released."}
              </p>
              <p>
                <Link to={back}>Choose seats again</Link>
              </p>
            </div>
          ) : (
            <>
              <p className="countdown">
                Seats held for{" "}
                <span role="timer" aria-label={`${clock(remaining)} left`}>
                  {clock(remaining)}
                </span>
              </p>
              <button type="button" onClick={release} disabled={paying}>
                Release seats
              </button>
            </>
          )}
        </div>
        {!ended && (
          <form ref={form} className="payment stack" onSubmit={pay} noValidate aria-labelledby="pay-heading">
            <h2 id="pay-heading">Payment</h2>
            {me.local && (
              <aside className="hint" aria-label="Test cards">
                <p>Sandbox test cards (any future expiry, any CVC):</p>
                <ul>
                  <li>4242 4242 4242 4242 — succeeds</li>
                  <li>4000 0000 0000 0002 — declined</li>
                </ul>
              </aside>
            )}
            <PaymentFields card={card} errors={errors} feedback={feedback} onChange={setCard} />
            <div className="message" role={message?.kind === "error" ? "alert" : "status"}>
              {message?.text}
            </div>
            <button type="submit" className="primary" disabled={paying}>
              {paying ? "Paying…" : `Pay ${money(total, checkout.currency)}`}
            </button>
          </form>
        )}
      </div>
    </section>
  );
}
