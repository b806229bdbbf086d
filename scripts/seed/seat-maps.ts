// Seat maps from 200-place clubs to 60,000-seat stadiums. Sections stay at or below ~1,500
// places so a per-section seat list stays small.
import type { Random } from "./random.ts";

export type VenueKind = "club" | "theater" | "arena" | "stadium";

export interface SectionPlan {
  name: string;
  kind: "SEATED" | "GENERAL_ADMISSION";
  capacity: number;
  rows: { label: string; seatCount: number }[];
  /** Relative price level, 1 (cheapest) .. 5 (best). */
  tier: number;
}

const rowLabel = (i: number) =>
  i < 26
    ? String.fromCharCode(65 + i)
    : `${String.fromCharCode(64 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`;

function seated(name: string, rows: number, seatsPerRow: number, tier: number): SectionPlan {
  const rowList = Array.from({ length: rows }, (_, i) => ({ label: rowLabel(i), seatCount: seatsPerRow }));
  return { name, kind: "SEATED", capacity: rows * seatsPerRow, rows: rowList, tier };
}

function generalAdmission(name: string, capacity: number, tier: number): SectionPlan {
  return { name, kind: "GENERAL_ADMISSION", capacity, rows: [], tier };
}

export function seatMap(kind: VenueKind, rnd: Random): SectionPlan[] {
  switch (kind) {
    case "club":
      return rnd.chance(0.5)
        ? [generalAdmission("General Admission", rnd.int(2, 8) * 100, 2)]
        : [
            generalAdmission("Floor", rnd.int(2, 5) * 100, 2),
            seated("Balcony", rnd.int(4, 8), rnd.int(12, 20), 3),
          ];
    case "theater":
      return [
        seated("Orchestra", rnd.int(20, 26), rnd.int(28, 36), 5),
        seated("Mezzanine", rnd.int(8, 12), rnd.int(26, 32), 4),
        seated("Balcony", rnd.int(10, 14), rnd.int(26, 32), 2),
      ];
    case "arena": {
      const floor = [generalAdmission("Floor GA", rnd.int(20, 35) * 100, 4)];
      const lower = Array.from({ length: 20 }, (_, i) => seated(`Lower ${101 + i}`, rnd.int(18, 24), 20, 3));
      const upper = Array.from({ length: 24 }, (_, i) => seated(`Upper ${201 + i}`, rnd.int(14, 18), 22, 1));
      return [...floor, ...lower, ...upper];
    }
    case "stadium": {
      // 4,000 + 28,560 + 27,776 = 60,336 seats.
      const floor = ["A", "B", "C", "D"].map((s) => seated(`Floor ${s}`, 40, 25, 5));
      const lower = Array.from({ length: 28 }, (_, i) => seated(`Lower ${101 + i}`, 30, 34, 3));
      const upper = Array.from({ length: 32 }, (_, i) => seated(`Upper ${301 + i}`, 28, 31, 1));
      return [...floor, ...lower, ...upper];
    }
  }
}

/** Price in cents for a section tier at a venue kind. */
export function priceCents(kind: VenueKind, tier: number, headline: boolean): number {
  const base = { club: 2500, theater: 4500, arena: 6500, stadium: 8000 }[kind];
  const multiplier = [0, 1, 1.4, 1.9, 2.8, 4.5][tier] ?? 1;
  return Math.round((base * multiplier * (headline ? 2.5 : 1)) / 50) * 50;
}
