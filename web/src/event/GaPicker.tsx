import { useId } from "react";
import type { Section } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { money } from "../lib/format.ts";
import { maxPerOrder } from "./seat-label.ts";

/** General admission: how many places, up to the order limit and what is left. */
export function GaPicker(props: {
  section: Section;
  available: number;
  priceCents: bigint;
  currency: string;
  quantity: number;
  onQuantity: (n: number) => void;
}) {
  const id = useId();
  const most = Math.min(maxPerOrder, props.available);
  if (most === 0) return <p>This section is sold out.</p>;
  return (
    <div className="ga-picker">
      <label htmlFor={id}>Quantity</label>
      <select id={id} value={props.quantity} onChange={(e) => props.onQuantity(Number(e.target.value))}>
        <option value={0}>Choose…</option>
        {Array.from({ length: most }, (_, i) => i + 1).map((n) => (
          <option key={n} value={n}>
            {n} × {money(props.priceCents, props.currency)}
          </option>
        ))}
      </select>
      <p className="muted">
        {props.available.toLocaleString("en-US")} places left in {props.section.name}. General admission: no
        numbered seats.
      </p>
    </div>
  );
}
