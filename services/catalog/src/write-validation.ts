// Rules protovalidate cannot express (seat-map consistency, time ordering) and the ones it can
// but that must hold for direct callers too, against the service's clock (no event in the past).
import { Code, ConnectError } from "@connectrpc/connect";
import { type SectionInput, SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { RowJson } from "./entities/section.ts";

const invalid = (message: string) => new ConnectError(message, Code.InvalidArgument);

export interface SectionPlan {
  name: string;
  kind: "SEATED" | "GENERAL_ADMISSION";
  capacity: number;
  rows: RowJson[];
}

/** A seated section's capacity is its seat total; a general-admission one has no rows. */
export function planSections(sections: SectionInput[]): SectionPlan[] {
  return sections.map((s, i) => {
    const where = `sections[${i}]`;
    if (s.kind === SectionKind.SEATED) {
      if (s.rows.length === 0) throw invalid(`${where}: a seated section needs at least one row`);
      const labels = new Set<string>();
      for (const row of s.rows) {
        if (!row.label || row.label.length > 10)
          throw invalid(`${where}: row labels must be 1..10 characters`);
        if (labels.has(row.label)) throw invalid(`${where}: row ${row.label} appears twice`);
        if (row.seatCount < 1 || row.seatCount > 1000)
          throw invalid(`${where}: row ${row.label} needs 1..1000 seats`);
        labels.add(row.label);
      }
      const capacity = s.rows.reduce((sum, r) => sum + r.seatCount, 0);
      return {
        name: s.name,
        kind: "SEATED",
        capacity,
        rows: s.rows.map((r) => ({ label: r.label, seatCount: r.seatCount })),
      };
    }
    if (s.rows.length > 0) throw invalid(`${where}: a general-admission section has no rows`);
    if (s.capacity < 1) throw invalid(`${where}: a general-admission section needs a capacity`);
    return { name: s.name, kind: "GENERAL_ADMISSION", capacity: s.capacity, rows: [] };
  });
}

export function checkTimes(startsAt: Date, endsAt: Date, onSaleStartsAt: Date, onSaleEndsAt: Date): void {
  if (endsAt <= startsAt) throw invalid("ends_at must be after starts_at");
  if (onSaleEndsAt < onSaleStartsAt) throw invalid("on_sale_ends_at must not be before on_sale_starts_at");
}

/** An event is created, or moved, to start in the future only; worded as the proto rule (gt_now) is. */
export function checkStartsInFuture(startsAt: Date, now: Date): void {
  if (startsAt <= now) throw invalid("startsAt: must be greater than now");
}
