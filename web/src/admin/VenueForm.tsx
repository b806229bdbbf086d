import { type FormEvent, useState } from "react";
import { SectionKind, type Venue } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { problemOf } from "../api/problems.ts";
import { catalogAdmin, rowLabel } from "./admin-clients.ts";
import { FormStatus, LabeledInput } from "./admin-fields.tsx";

interface SectionDraft {
  key: number;
  name: string;
  kind: "seated" | "ga";
  rows: number;
  seatsPerRow: number;
  capacity: number;
}

let nextKey = 1;
const blank = (): SectionDraft => ({
  key: nextKey++,
  name: "",
  kind: "seated",
  rows: 5,
  seatsPerRow: 10,
  capacity: 100,
});

export function VenueForm({ onCreated }: { onCreated: (venue: Venue) => void }) {
  const [sections, setSections] = useState<SectionDraft[]>([blank()]);
  const [status, setStatus] = useState<{ text: string; error: boolean }>();
  const edit = (key: number, change: Partial<SectionDraft>) =>
    setSections((list) => list.map((s) => (s.key === key ? { ...s, ...change } : s)));

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    try {
      const { venue } = await catalogAdmin.createVenue({
        name: text("name"),
        address: text("address"),
        city: text("city"),
        country: text("country").toUpperCase(),
        timezone: text("timezone"),
        sections: sections.map((s) =>
          s.kind === "seated"
            ? {
                name: s.name.trim(),
                kind: SectionKind.SEATED,
                rows: Array.from({ length: s.rows }, (_, i) => ({
                  label: rowLabel(i),
                  seatCount: s.seatsPerRow,
                })),
              }
            : { name: s.name.trim(), kind: SectionKind.GENERAL_ADMISSION, capacity: s.capacity },
        ),
      });
      if (!venue) return;
      setStatus({
        text: `Venue “${venue.name}” created with ${venue.capacity.toLocaleString("en-US")} places.`,
        error: false,
      });
      onCreated(venue);
    } catch (err) {
      setStatus({ text: problemOf(err).message, error: true });
    }
  };

  return (
    <form className="stack admin-form" onSubmit={submit} aria-labelledby="venue-heading">
      <h2 id="venue-heading">New venue</h2>
      <LabeledInput label="Venue name" name="name" required maxLength={200} />
      <LabeledInput label="Address" name="address" maxLength={300} />
      <div className="field-pair">
        <LabeledInput label="City" name="city" required maxLength={100} />
        <LabeledInput
          label="Country code"
          name="country"
          required
          pattern="[A-Za-z]{2}"
          maxLength={2}
          defaultValue="US"
        />
      </div>
      <LabeledInput
        label="Time zone"
        name="timezone"
        required
        defaultValue={Intl.DateTimeFormat().resolvedOptions().timeZone}
      />
      <fieldset>
        <legend>Sections</legend>
        {sections.map((s, i) => (
          <fieldset key={s.key} className="section-draft">
            <legend>Section {i + 1}</legend>
            <LabeledInput
              label="Section name"
              value={s.name}
              required
              onChange={(e) => edit(s.key, { name: e.target.value })}
            />
            <label>
              Kind
              <select
                value={s.kind}
                onChange={(e) => edit(s.key, { kind: e.target.value as SectionDraft["kind"] })}
              >
                <option value="seated">Seated</option>
                <option value="ga">General admission</option>
              </select>
            </label>
            {s.kind === "seated" ? (
              <div className="field-pair">
                <LabeledInput
                  label="Rows"
                  type="number"
                  min={1}
                  max={500}
                  value={s.rows}
                  onChange={(e) => edit(s.key, { rows: Number(e.target.value) })}
                />
                <LabeledInput
                  label="Seats per row"
                  type="number"
                  min={1}
                  max={200}
                  value={s.seatsPerRow}
                  onChange={(e) => edit(s.key, { seatsPerRow: Number(e.target.value) })}
                />
              </div>
            ) : (
              <LabeledInput
                label="Capacity"
                type="number"
                min={1}
                max={100000}
                value={s.capacity}
                onChange={(e) => edit(s.key, { capacity: Number(e.target.value) })}
              />
            )}
            {sections.length > 1 && (
              <button type="button" onClick={() => setSections((l) => l.filter((x) => x.key !== s.key))}>
                Remove section {i + 1}
              </button>
            )}
          </fieldset>
        ))}
        <button type="button" onClick={() => setSections((l) => [...l, blank()])}>
          Add section
        </button>
      </fieldset>
      <FormStatus status={status} />
      <button type="submit" className="primary">
        Create venue
      </button>
    </form>
  );
}
