// The pieces the admin forms repeat: a labelled input, the event picker that loads an event into
// a form, and the line that says how a form's last action went.
import type { FormEvent, InputHTMLAttributes, ReactNode } from "react";

/** An input named by its label text (the label wraps it, so no id is needed). */
export function LabeledInput({
  label,
  ...input
}: { label: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label>
      {label}
      <input {...input} />
    </label>
  );
}

/** An event id, with the events this browser created as suggestions, and a button to load it. */
export function EventIdPicker(props: {
  listId: string;
  events: { id: string; name: string }[];
  action: string;
  onPick: (eventId: string) => void;
}) {
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    props.onPick(String(new FormData(e.currentTarget).get("eventId") ?? "").trim());
  };
  return (
    <form onSubmit={submit} className="inline">
      <LabeledInput label="Event id" name="eventId" list={props.listId} required />
      <datalist id={props.listId}>
        {props.events.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </datalist>
      <button type="submit">{props.action}</button>
    </form>
  );
}

export interface FormOutcome {
  text: string;
  error: boolean;
}

/** How the last action went: an alert when it failed, a status when it worked. */
export function FormStatus({ status, children }: { status: FormOutcome | undefined; children?: ReactNode }) {
  return (
    <p role={status?.error ? "alert" : "status"} className={status?.error ? "error" : "success"}>
      {status?.text}
      {children}
    </p>
  );
}
