// A new event at a venue, optionally put on sale at once: the event (status ON_SALE) and then its
// tickets from the venue's seat map with one price per section.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { EventStatus, type Venue } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { problemOf } from "../api/problems.ts";
import { categories } from "../pages/SearchPage.tsx";
import { catalogAdmin, inventoryAdmin, type Known } from "./admin-clients.ts";
import { FormStatus, LabeledInput } from "./admin-fields.tsx";

export function EventForm(props: {
  venues: Known[];
  performers: Known[];
  loadVenue: (id: string) => Promise<Venue | undefined>;
  onCreated: (event: Known) => void;
}) {
  const [venue, setVenue] = useState<Venue>();
  const [status, setStatus] = useState<{ text: string; error: boolean; eventId?: string }>();

  const pickVenue = async (id: string) => setVenue(id ? await props.loadVenue(id) : undefined);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!venue) return;
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    const startsAt = new Date(text("startsAt"));
    const endsAt = new Date(startsAt.getTime() + Number(text("hours") || "3") * 3_600_000);
    const onSale = f.get("onSale") === "on";
    try {
      const { event } = await catalogAdmin.createEvent({
        name: text("name"),
        description: text("description"),
        category: text("category"),
        startsAt: timestampFromDate(startsAt),
        endsAt: timestampFromDate(endsAt),
        venueId: venue.id,
        performerIds: text("performer") ? [text("performer")] : [],
        status: onSale ? EventStatus.ON_SALE : EventStatus.SCHEDULED,
      });
      if (!event) return;
      props.onCreated({ id: event.id, name: event.name });
      if (onSale) {
        const res = await inventoryAdmin.provisionTickets({
          eventId: event.id,
          currency: text("currency").toUpperCase() || "USD",
          priceTiers: venue.sections.map((s) => ({
            sectionId: s.id,
            priceCents: BigInt(Math.round(Number(text(`price-${s.id}`)) * 100)),
          })),
        });
        setStatus({
          text: `“${event.name}” is on sale: ${res.total.toLocaleString("en-US")} tickets.`,
          error: false,
          eventId: event.id,
        });
      } else {
        setStatus({ text: `“${event.name}” created (not on sale yet).`, error: false, eventId: event.id });
      }
    } catch (err) {
      setStatus({ text: problemOf(err).message, error: true });
    }
  };

  return (
    <form className="stack admin-form" onSubmit={submit} aria-labelledby="event-heading">
      <h2 id="event-heading">New event</h2>
      <LabeledInput label="Event name" name="name" required maxLength={200} />
      <label>
        Category
        <select name="category" defaultValue="concert">
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        Description
        <textarea name="description" rows={3} maxLength={10000} />
      </label>
      <label>
        Venue
        <select name="venue" required defaultValue="" onChange={(e) => void pickVenue(e.target.value)}>
          <option value="">Choose a venue…</option>
          {props.venues.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Performer
        <select name="performer" defaultValue="">
          <option value="">None</option>
          {props.performers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <div className="field-pair">
        <LabeledInput label="Starts (your local time)" name="startsAt" type="datetime-local" required />
        <LabeledInput label="Length in hours" name="hours" type="number" min={1} max={72} defaultValue={3} />
      </div>
      <label className="check">
        <input type="checkbox" name="onSale" defaultChecked /> Put on sale now
      </label>
      {venue && (
        <fieldset>
          <legend>Prices</legend>
          <LabeledInput
            label="Currency"
            name="currency"
            defaultValue="USD"
            pattern="[A-Za-z]{3}"
            maxLength={3}
          />
          {venue.sections.map((s) => (
            <label key={s.id}>
              Price for {s.name}
              <input name={`price-${s.id}`} type="number" min={0} step="0.01" required defaultValue="50" />
            </label>
          ))}
        </fieldset>
      )}
      <FormStatus status={status}>
        {status?.eventId && (
          <>
            {" "}
            <Link to={`/e/${status.eventId}`}>Open the event page</Link>
          </>
        )}
      </FormStatus>
      <button type="submit" className="primary" disabled={!venue}>
        Create event
      </button>
    </form>
  );
}
