// Deterministic demo catalog: venues with seat maps, performers, headline tours and events
// spread over the next two years.
import type { Random } from "./random.ts";
import { type SectionPlan, seatMap, type VenueKind } from "./seat-maps.ts";
import * as w from "./world.ts";

export type Category = keyof typeof w.genres;

export interface VenueRow {
  id: string;
  name: string;
  address: string;
  city: w.City;
  kind: VenueKind;
  sections: (SectionPlan & { id: string })[];
  capacity: number;
}

export interface PerformerRow {
  id: string;
  name: string;
  bio: string;
  genre: string;
  category: Category;
}

export interface EventRow {
  id: string;
  name: string;
  description: string;
  category: Category;
  startsAt: Date;
  endsAt: Date;
  venue: VenueRow;
  performerIds: string[];
  status: "SCHEDULED" | "ON_SALE" | "POSTPONED" | "CANCELLED";
  onSaleStartsAt: Date;
  onSaleEndsAt: Date;
  headline: boolean;
}

const day = 86_400_000;

function weightedPick<T>(weights: readonly (readonly [T, number])[], roll: number): T {
  let rest = roll;
  for (const [value, weight] of weights) {
    rest -= weight;
    if (rest < 0) return value;
  }
  return (weights[0] as readonly [T, number])[0];
}

export function makeVenues(rnd: Random, count: number): VenueRow[] {
  const kinds: VenueKind[] = ["club", "club", "club", "theater", "theater", "arena", "arena", "stadium"];
  return Array.from({ length: count }, (_, i) => {
    const kind = i < 12 ? "stadium" : (rnd.pick(kinds) as VenueKind);
    const city = w.cities[i % w.cities.length] as w.City;
    const word = rnd.pick(w.venueWords[kind]);
    const name =
      kind === "club" || kind === "theater"
        ? `The ${word}`
        : `${rnd.pick(w.venueWords.sponsors)} ${kind === "stadium" ? `${city.name} ${word}` : word}`;
    const sections = seatMap(kind, rnd).map((s) => ({ ...s, id: rnd.uuid() }));
    const capacity = sections.reduce((sum, s) => sum + s.capacity, 0);
    return {
      id: rnd.uuid(),
      name,
      address: `${rnd.int(1, 999)} ${rnd.pick(w.streets)}`,
      city,
      kind,
      sections,
      capacity,
    };
  });
}

export function makePerformers(rnd: Random, count: number): PerformerRow[] {
  const out: PerformerRow[] = [
    {
      id: rnd.uuid(),
      name: "Taylor Swift",
      bio: "Singer-songwriter whose stadium tour breaks records in every city.",
      genre: "pop",
      category: "concert",
    },
    {
      id: rnd.uuid(),
      name: "Neon Wolves",
      bio: "Arena rock band known for three-hour sets.",
      genre: "rock",
      category: "concert",
    },
  ];
  const seen = new Set(out.map((p) => p.name));
  const add = (name: string, genre: string, category: Category, bio: string) => {
    // "The Neon Wolves" would shadow the headliner "Neon Wolves" in search demos.
    if (seen.has(name) || seen.has(name.replace(/^The /, ""))) return;
    seen.add(name);
    out.push({ id: rnd.uuid(), name, bio, genre, category });
  };
  for (const show of w.shows)
    add(show, rnd.pick(w.genres.theater), "theater", `${show}, the touring production.`);
  for (const show of w.familyShows) add(show, "family", "family", `${show} brings its show on the road.`);
  for (const city of w.cities) {
    for (const team of w.teamNames.slice(0, 4)) {
      add(
        `${city.name} ${team}`,
        rnd.pick(w.genres.sports),
        "sports",
        `Professional team from ${city.name}.`,
      );
    }
  }
  let attempts = 0;
  while (out.length < count && attempts++ < count * 20) {
    const roll = rnd.float();
    if (roll < 0.12) {
      const name = `${rnd.pick(w.firstNames)} ${rnd.pick(w.lastNames)}`;
      add(name, "comedy", "comedy", `${name} is a stand-up comedian.`);
    } else if (roll < 0.55) {
      const name = `${rnd.pick(w.firstNames)} ${rnd.pick(w.lastNames)}`;
      const genre = rnd.pick(w.genres.concert);
      add(name, genre, "concert", `${name} is a ${genre} artist.`);
    } else if (roll < 0.7) {
      const name = `${rnd.pick(w.firstNames)} & the ${rnd.pick(w.bandNouns)}`;
      const genre = rnd.pick(w.genres.concert);
      add(name, genre, "concert", `${name} is a ${genre} band.`);
    } else {
      const name = `${rnd.chance(0.5) ? "The " : ""}${rnd.pick(w.bandAdjectives)} ${rnd.pick(w.bandNouns)}`;
      const genre = rnd.pick(w.genres.concert);
      add(name, genre, "concert", `${name} is a ${genre} band.`);
    }
  }
  return out;
}

/** Headline tours first (so small seeds have them too), then ordinary events, lazily. */
export function* makeEvents(
  rnd: Random,
  count: number,
  venues: VenueRow[],
  performers: PerformerRow[],
  now: Date,
): Generator<EventRow> {
  const stadiums = venues.filter((v) => v.kind === "stadium");
  const arenas = venues.filter((v) => v.kind === "arena");
  const [swift, wolves] = performers as [PerformerRow, PerformerRow];
  const tours = [
    { performer: swift, title: "Taylor Swift | The Eras Tour", places: stadiums.slice(0, 10), days: 40 },
    { performer: wolves, title: "Neon Wolves — Electric Skies Tour", places: arenas.slice(0, 12), days: 60 },
  ];
  let produced = 0;
  for (const tour of tours) {
    for (const [i, venue] of tour.places.entries()) {
      if (produced++ >= count) return;
      const startsAt = new Date(now.getTime() + (tour.days + i * 3) * day);
      startsAt.setUTCHours(19, 30, 0, 0);
      yield {
        id: rnd.uuid(),
        name: `${tour.title} — ${venue.city.name}`,
        description: `${tour.performer.name} live at ${venue.name}. ${w.describe.concert[0]}`,
        category: "concert",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3.5 * 3_600_000),
        venue,
        performerIds: [tour.performer.id],
        status: "ON_SALE",
        onSaleStartsAt: new Date(now.getTime() - day),
        onSaleEndsAt: startsAt,
        headline: true,
      };
    }
  }
  const byCategory = new Map<Category, PerformerRow[]>();
  for (const p of performers.slice(2)) byCategory.set(p.category, [...(byCategory.get(p.category) ?? []), p]);
  const venuesFor: Record<Category, VenueRow[]> = {
    concert: venues,
    sports: venues.filter((v) => v.kind === "arena" || v.kind === "stadium"),
    comedy: venues.filter((v) => v.kind === "club" || v.kind === "theater"),
    theater: venues.filter((v) => v.kind === "theater"),
    family: venues.filter((v) => v.kind === "arena" || v.kind === "theater"),
  };
  const weights: [Category, number][] = [
    ["concert", 0.55],
    ["sports", 0.2],
    ["comedy", 0.1],
    ["theater", 0.1],
    ["family", 0.05],
  ];
  while (produced++ < count) {
    const category = weightedPick(weights, rnd.float());
    const pool = byCategory.get(category) ?? performers;
    // Squaring the roll skews towards the front of the list: a few acts play far more often.
    const main = pool[Math.floor(rnd.float() ** 2 * pool.length)] as PerformerRow;
    const venue = rnd.pick(venuesFor[category].length ? venuesFor[category] : venues);
    const startsAt = new Date(now.getTime() + rnd.int(1, 730) * day);
    startsAt.setUTCHours(rnd.int(17, 21), rnd.pick([0, 30]), 0, 0);
    const performerIds = [main.id];
    let name: string;
    if (category === "sports") {
      const rival = rnd.pick(pool);
      if (rival.id !== main.id) performerIds.push(rival.id);
      name = `${main.name} vs ${rival.id === main.id ? "All-Stars" : rival.name}`;
    } else if (category === "concert") {
      if (rnd.chance(0.3)) {
        const opener = rnd.pick(pool);
        if (opener.id !== main.id) performerIds.push(opener.id);
      }
      name = `${main.name} — ${rnd.pick(w.tourWords)}`;
    } else if (category === "comedy") {
      name = `${main.name}: ${rnd.pick(w.comedians)}`;
    } else {
      name = main.name;
    }
    const onSaleStartsAt = new Date(startsAt.getTime() - rnd.int(30, 180) * day);
    const roll2 = rnd.float();
    const status =
      roll2 < 0.02
        ? "CANCELLED"
        : roll2 < 0.03
          ? "POSTPONED"
          : onSaleStartsAt <= now
            ? "ON_SALE"
            : "SCHEDULED";
    yield {
      id: rnd.uuid(),
      name,
      description: rnd.pick(w.describe[category]),
      category,
      startsAt,
      endsAt: new Date(startsAt.getTime() + rnd.int(2, 4) * 3_600_000),
      venue,
      performerIds,
      status,
      onSaleStartsAt,
      onSaleEndsAt: startsAt,
      headline: false,
    };
  }
}
