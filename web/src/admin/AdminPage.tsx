// Event admin (role admin): venues with their seat maps, performers, events put on sale with a
// price per section, edits and cancellation. Loaded only when an admin opens it.
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { problemOf } from "../api/problems.ts";
import { useSession } from "../api/session.ts";
import { useTitle } from "../lib/use-title.ts";
import { catalogAdmin, remember, remembered } from "./admin-clients.ts";
import { FormStatus, LabeledInput } from "./admin-fields.tsx";
import { EditEventForm } from "./EditEventForm.tsx";
import { EventForm } from "./EventForm.tsx";
import { VenueForm } from "./VenueForm.tsx";
import { WaitingRoomForm } from "./WaitingRoomForm.tsx";

export function AdminPage() {
  useTitle("Admin");
  const me = useSession();
  const [venues, setVenues] = useState(() => remembered("venues"));
  const [performers, setPerformers] = useState(() => remembered("performers"));
  const [events, setEvents] = useState(() => remembered("events"));
  const [performerStatus, setPerformerStatus] = useState<{ text: string; error: boolean }>();

  if (!me) {
    return (
      <>
        <h1>Admin</h1>
        <p>
          <Link to="/signin?next=/admin">Sign in</Link> with an admin account.
        </p>
      </>
    );
  }
  if (me.user.role !== "admin") {
    return (
      <>
        <h1>Admin</h1>
        <p>This page needs the admin role; {me.user.email} does not have it.</p>
      </>
    );
  }

  const createPerformer = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      const { performer } = await catalogAdmin.createPerformer({
        name: String(f.get("name") ?? "").trim(),
        genre: String(f.get("genre") ?? "").trim(),
        bio: String(f.get("bio") ?? "").trim(),
      });
      if (!performer) return;
      setPerformers(remember("performers", { id: performer.id, name: performer.name }));
      setPerformerStatus({ text: `Performer “${performer.name}” created.`, error: false });
      form.reset();
    } catch (err) {
      setPerformerStatus({ text: problemOf(err).message, error: true });
    }
  };

  return (
    <>
      <h1>Admin</h1>
      <div className="admin-grid">
        <VenueForm onCreated={(v) => setVenues(remember("venues", { id: v.id, name: v.name }))} />
        <form className="stack admin-form" onSubmit={createPerformer} aria-labelledby="performer-heading">
          <h2 id="performer-heading">New performer</h2>
          <LabeledInput label="Performer name" name="name" required maxLength={200} />
          <LabeledInput label="Genre" name="genre" maxLength={50} />
          <label>
            Biography
            <textarea name="bio" rows={2} maxLength={5000} />
          </label>
          <FormStatus status={performerStatus} />
          <button type="submit" className="primary">
            Create performer
          </button>
        </form>
        <EventForm
          venues={venues}
          performers={performers}
          loadVenue={async (id) => (await catalogAdmin.getVenue({ venueId: id })).venue}
          onCreated={(ev) => setEvents(remember("events", ev))}
        />
        <EditEventForm events={events} />
        <WaitingRoomForm events={events} />
      </div>
    </>
  );
}
