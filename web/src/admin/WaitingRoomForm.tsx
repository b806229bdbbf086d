// An event's waiting room: on or off, how many shop at once, admissions per minute, the shopping
// window, and when the room opens (joiners before then are shuffled at opening).
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type FormEvent, useState } from "react";
import type { QueueSettings } from "#gen/ticketing/queue/v1/queue_pb.js";
import { problemOf } from "../api/problems.ts";
import { type Known, queueAdmin } from "./admin-clients.ts";
import { EventIdPicker, FormStatus, LabeledInput } from "./admin-fields.tsx";
import { localInput } from "./EditEventForm.tsx";

export function WaitingRoomForm({ events }: { events: Known[] }) {
  const [eventId, setEventId] = useState("");
  const [settings, setSettings] = useState<QueueSettings>();
  const [status, setStatus] = useState<{ text: string; error: boolean }>();

  const load = async (id: string) => {
    try {
      setSettings((await queueAdmin.getQueueSettings({ eventId: id })).settings);
      setEventId(id);
      setStatus(undefined);
    } catch (err) {
      setStatus({ text: problemOf(err).message, error: true });
    }
  };

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const opens = String(f.get("opensAt") ?? "");
    try {
      const res = await queueAdmin.setQueueSettings({
        eventId,
        settings: {
          enabled: f.get("enabled") === "on",
          maxActiveShoppers: Number(f.get("maxActiveShoppers")),
          admissionsPerMinute: Number(f.get("admissionsPerMinute")),
          shoppingWindowSeconds: Number(f.get("shoppingWindowMinutes")) * 60,
          ...(opens ? { opensAt: timestampFromDate(new Date(opens)) } : {}),
        },
      });
      setSettings(res.settings);
      setStatus({ text: "Waiting room settings saved.", error: false });
    } catch (err) {
      setStatus({ text: problemOf(err).message, error: true });
    }
  };

  return (
    <section className="stack admin-form" aria-labelledby="room-heading">
      <h2 id="room-heading">Waiting room</h2>
      <EventIdPicker
        listId="room-events"
        events={events}
        action="Load settings"
        onPick={(id) => void load(id)}
      />
      {settings && (
        <form onSubmit={save} className="stack" key={`${eventId}-${JSON.stringify(settings.enabled)}`}>
          <label className="check">
            <input type="checkbox" name="enabled" defaultChecked={settings.enabled} /> Holds and bookings go
            through the waiting room
          </label>
          <div className="field-pair">
            <LabeledInput
              label="Shoppers at once"
              name="maxActiveShoppers"
              type="number"
              min={1}
              defaultValue={settings.maxActiveShoppers || 100}
            />
            <LabeledInput
              label="Admissions per minute"
              name="admissionsPerMinute"
              type="number"
              min={1}
              defaultValue={settings.admissionsPerMinute || 100}
            />
          </div>
          <div className="field-pair">
            <LabeledInput
              label="Shopping window (minutes)"
              name="shoppingWindowMinutes"
              type="number"
              min={1}
              max={1440}
              defaultValue={Math.max(1, Math.round((settings.shoppingWindowSeconds || 600) / 60))}
            />
            <LabeledInput
              label="Opens (your local time)"
              name="opensAt"
              type="datetime-local"
              defaultValue={settings.opensAt ? localInput(timestampDate(settings.opensAt)) : ""}
            />
          </div>
          <button type="submit" className="primary">
            Save waiting room
          </button>
        </form>
      )}
      <FormStatus status={status} />
    </section>
  );
}
