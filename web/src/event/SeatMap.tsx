// The seat map of one section: rows of seat buttons drawn to scale-ish, coloured by state, with a
// legend and zoom. One tab stop for the whole map (roving tabindex): arrow keys move between seats,
// Space or Enter selects. A stadium is drawn one section at a time, so at most ~1,500 buttons.
import { type KeyboardEvent, memo, useMemo, useRef, useState } from "react";
import type { Section } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { Ticket } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { money } from "../lib/format.ts";
import { type SeatState, seatLabel, seatState, stateText } from "./seat-label.ts";

interface Props {
  section: Section;
  tickets: Ticket[];
  selected: ReadonlySet<string>;
  mine: Set<string>;
  currency: string;
  onToggle: (ticket: Ticket) => void;
}

const Seat = memo(function Seat(props: {
  id: string;
  number: number;
  name: string;
  state: SeatState;
  pressed: boolean;
  tabStop: boolean;
}) {
  const selectable = props.state === "available" || props.pressed;
  return (
    <button
      type="button"
      className={`seat seat-${props.pressed ? "selected" : props.state}`}
      data-ticket={props.id}
      aria-label={props.name}
      aria-pressed={props.pressed}
      disabled={!selectable}
      tabIndex={props.tabStop ? 0 : -1}
    >
      {props.number}
    </button>
  );
});

export default function SeatMap({ section, tickets, selected, mine, currency, onToggle }: Props) {
  const [zoom, setZoom] = useState(1);
  const [focusId, setFocusId] = useState<string | undefined>();
  const map = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => {
    const byRow = new Map<string, Ticket[]>();
    for (const label of section.rows.map((r) => r.label)) byRow.set(label, []);
    for (const t of tickets) {
      if (!byRow.has(t.row)) byRow.set(t.row, []);
      byRow.get(t.row)?.push(t);
    }
    for (const list of byRow.values()) list.sort((a, b) => a.seat - b.seat);
    return [...byRow.entries()].filter(([, list]) => list.length > 0);
  }, [section, tickets]);
  const byId = useMemo(() => new Map(tickets.map((t) => [t.id, t])), [tickets]);
  const widest = Math.max(1, ...rows.map(([, list]) => list.length));

  const selectable = (t: Ticket | undefined) =>
    t !== undefined && (selected.has(t.id) || seatState(t, mine) === "available");
  const tabStop = focusId && selectable(byId.get(focusId)) ? focusId : tickets.find((t) => selectable(t))?.id;

  const focusTicket = (id: string | undefined) => {
    if (!id) return;
    setFocusId(id);
    map.current?.querySelector<HTMLButtonElement>(`[data-ticket="${id}"]`)?.focus();
  };

  const move = (from: Ticket, dRow: number, dSeat: number): string | undefined => {
    let r = rows.findIndex(([label]) => label === from.row);
    let i = rows[r]?.[1].findIndex((t) => t.id === from.id) ?? 0;
    if (dSeat !== 0) {
      const list = rows[r]?.[1] ?? [];
      for (let j = i + dSeat; j >= 0 && j < list.length; j += dSeat)
        if (selectable(list[j])) return list[j]?.id;
      return undefined;
    }
    const ratio = (i + 0.5) / (rows[r]?.[1].length ?? 1);
    for (r += dRow; r >= 0 && r < rows.length; r += dRow) {
      const list = rows[r]?.[1] ?? [];
      i = Math.min(list.length - 1, Math.floor(ratio * list.length));
      // Nearest selectable seat in that row.
      for (let d = 0; d < list.length; d++) {
        if (selectable(list[i + d])) return list[i + d]?.id;
        if (selectable(list[i - d])) return list[i - d]?.id;
      }
    }
    return undefined;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const id = (e.target as HTMLElement).dataset.ticket;
    const from = id ? byId.get(id) : undefined;
    if (!from) return;
    const step: Record<string, [number, number]> = {
      ArrowRight: [0, 1],
      ArrowLeft: [0, -1],
      ArrowDown: [1, 0],
      ArrowUp: [-1, 0],
    };
    const delta = step[e.key];
    if (delta) {
      e.preventDefault();
      focusTicket(move(from, delta[0], delta[1]));
    }
  };

  const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-ticket]");
    const ticket = button?.dataset.ticket ? byId.get(button.dataset.ticket) : undefined;
    if (!ticket) return;
    setFocusId(ticket.id);
    onToggle(ticket);
  };

  return (
    <div className="seat-map-wrap">
      <div className="seat-map-tools">
        <ul className="legend" aria-label="Legend">
          <li>
            <span className="seat seat-available" aria-hidden="true" /> Available
          </li>
          <li>
            <span className="seat seat-selected" aria-hidden="true" /> Selected
          </li>
          <li>
            <span className="seat seat-yours" aria-hidden="true" /> Held by you
          </li>
          <li>
            <span className="seat seat-held" aria-hidden="true" /> Held
          </li>
          <li>
            <span className="seat seat-sold" aria-hidden="true" /> Sold
          </li>
        </ul>
        <div className="zoom">
          <button
            type="button"
            onClick={() => setZoom((z) => Math.max(0.5, z - 0.25))}
            disabled={zoom <= 0.5}
          >
            Zoom out
          </button>
          <button type="button" onClick={() => setZoom((z) => Math.min(2, z + 0.25))} disabled={zoom >= 2}>
            Zoom in
          </button>
        </div>
      </div>
      <p className="stage" aria-hidden="true">
        Stage
      </p>
      {/* biome-ignore lint/a11y/useSemanticElements: a fieldset's legend and borders do not suit a drawn map; clicks and keys are delegated from the seat buttons */}
      <div
        className="seat-map"
        ref={map}
        style={{ "--zoom": zoom, "--widest": widest } as React.CSSProperties}
        role="group"
        aria-label={`Seats in section ${section.name}`}
        onKeyDown={onKeyDown}
        onClick={onClick}
      >
        {rows.map(([label, list]) => (
          // biome-ignore lint/a11y/useSemanticElements: as above, a row of the drawn map
          <div key={label} className="seat-row" role="group" aria-label={`Row ${label}`}>
            <span className="row-label" aria-hidden="true">
              {label}
            </span>
            {list.map((t) => {
              const state = seatState(t, mine);
              return (
                <Seat
                  key={t.id}
                  id={t.id}
                  number={t.seat}
                  name={`${seatLabel(section, t)}, ${money(t.priceCents, currency)}, ${stateText[state]}`}
                  state={state}
                  pressed={selected.has(t.id)}
                  tabStop={t.id === tabStop}
                />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
