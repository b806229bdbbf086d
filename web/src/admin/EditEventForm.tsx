// Change or cancel an event. Cancelling is an update to status CANCELLED; the event's page stays.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type FormEvent, useState } from "react";
import { type Event, EventStatus } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { api } from "../api/client.ts";
import { problemOf } from "../api/problems.ts";
import { dateOf } from "../lib/format.ts";
import { catalogAdmin, type Known } from "./admin-clients.ts";
import { EventIdPicker, FormStatus, LabeledInput } from "./admin-fields.tsx";

const statuses = [
  [EventStatus.SCHEDULED, "Scheduled (not on sale)"],
  [EventStatus.ON_SALE, "On sale"],
  [EventStatus.POSTPONED, "Postponed"],
  [EventStatus.CANCELLED, "Cancelled"],
] as const;

/** A Date as the value of a datetime-local input, in the browser's zone. */
export function localInput(date: Date | undefined): string {
  if (!date) return "";
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

export function EditEventForm({ events }: { events: Known[] }) {
  const [event, setEvent] = useState<Event>();
  const [status, setStatus] = useState<{ text: string; error: boolean }>();

  const load = async (id: string) => {
    try {
      setEvent((await api.getEventPage({ eventId: id })).event);
      setStatus(undefined);
    } catch (err) {
      setStatus({ text: problemOf(err).message, error: true });
    }
  };

  const update = async (change: Parameters<typeof catalogAdmin.updateEvent>[0], done: string) => {
    if (!event) return;
    try {
      const res = await catalogAdmin.updateEvent({ ...change, eventId: event.id });
      setEvent(res.event);
      setStatus({ text: done, error: false });
    } catch (err) {
      setStatus({ text: problemOf(err).message, error: true });
    }
  };

  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const starts = new Date(String(f.get("startsAt")));
    const length = event
      ? (dateOf(event.endsAt)?.getTime() ?? 0) - (dateOf(event.startsAt)?.getTime() ?? 0)
      : 0;
    void update(
      {
        name: String(f.get("name") ?? "").trim(),
        status: Number(f.get("status")) as EventStatus,
        startsAt: timestampFromDate(starts),
        endsAt: timestampFromDate(new Date(starts.getTime() + Math.max(length, 3_600_000))),
      },
      "Event saved.",
    );
  };

  return (
    <section className="stack admin-form" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit or cancel an event</h2>
      <EventIdPicker
        listId="known-events"
        events={events}
        action="Load event"
        onPick={(id) => void load(id)}
      />
      {event && (
        <form onSubmit={save} className="stack" key={`${event.id}-${event.version}`}>
          <LabeledInput label="Event name" name="name" defaultValue={event.name} required maxLength={200} />
          <LabeledInput
            label="Starts (your local time)"
            name="startsAt"
            type="datetime-local"
            defaultValue={localInput(dateOf(event.startsAt))}
            required
          />
          <label>
            Status
            <select name="status" defaultValue={event.status}>
              {statuses.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <div className="buttons">
            <button type="submit" className="primary">
              Save changes
            </button>
            <button
              type="button"
              className="danger"
              disabled={event.status === EventStatus.CANCELLED}
              onClick={() => {
                if (window.confirm(`Cancel “${event.name}”? Sales stop at once.`))
                  void update({ status: EventStatus.CANCELLED }, "Event cancelled.");
              }}
            >
              Cancel event
            </button>
          </div>
        </form>
      )}
      <FormStatus status={status} />
    </section>
  );
}
