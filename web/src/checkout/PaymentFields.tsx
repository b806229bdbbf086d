import type { ReactNode } from "react";
import type { CardErrors, CardInput } from "./card-checks.ts";

function Field(props: {
  name: keyof CardInput;
  label: string;
  value: string;
  error: string | undefined;
  hint?: ReactNode;
  onChange: (value: string) => void;
  autoComplete: string;
  inputMode?: "numeric" | "text";
  placeholder?: string;
}) {
  const id = `card-${props.name}`;
  const described = [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        value={props.value}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => props.onChange(e.target.value)}
        required
      />
      {props.hint && (
        <p id={`${id}-hint`} className="muted" aria-live="polite">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${id}-error`} className="error">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function PaymentFields(props: {
  card: CardInput;
  errors: CardErrors;
  feedback: { valid: boolean; text: string };
  onChange: (card: CardInput) => void;
}) {
  const set = (key: keyof CardInput) => (value: string) => props.onChange({ ...props.card, [key]: value });
  return (
    <>
      <Field
        name="number"
        label="Card number"
        value={props.card.number}
        error={props.errors.number}
        hint={props.feedback.text || " "}
        onChange={set("number")}
        autoComplete="cc-number"
        inputMode="numeric"
        placeholder="1234 5678 9012 3456"
      />
      <div className="field-pair">
        <Field
          name="expiry"
          label="Expiry"
          value={props.card.expiry}
          error={props.errors.expiry}
          onChange={set("expiry")}
          autoComplete="cc-exp"
          placeholder="MM/YY"
        />
        <Field
          name="cvc"
          label="CVC"
          value={props.card.cvc}
          error={props.errors.cvc}
          onChange={set("cvc")}
          autoComplete="cc-csc"
          inputMode="numeric"
          placeholder="123"
        />
      </div>
      <Field
        name="name"
        label="Name on card"
        value={props.card.name}
        error={props.errors.name}
        onChange={set("name")}
        autoComplete="cc-name"
      />
    </>
  );
}
