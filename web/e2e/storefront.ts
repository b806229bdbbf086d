// The whole stack the way `npm start` runs it, for browser tests: the storefront built into
// web/dist and served by the edge, over a database and Redis prefix of the run's own. One shared
// stack serves most files; a test that needs other settings (a short HOLD_SECONDS) starts its own.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { CatalogService, EventStatus, SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { startTestStack, type TestStack } from "../../edge/test/stack.ts";
import { edgeClient } from "../../edge/test/view-fixtures.ts";
import { buildWeb, webDist } from "../../scripts/build-web.ts";
import { closeBrowser } from "./browser.ts";

let built: Promise<unknown> | undefined;
let shared: Promise<TestStack> | undefined;

export async function startStorefront(label: string, env: Record<string, string> = {}): Promise<TestStack> {
  built ??= buildWeb();
  await built;
  return startTestStack(label, { WEB_DIR: webDist, ...env });
}

/** The stack most browser tests share; closed after the last test of the run. */
export function sharedStorefront(): Promise<TestStack> {
  shared ??= startStorefront("web");
  return shared;
}

after(async () => {
  await closeBrowser();
  const stack = await shared;
  shared = undefined;
  await stack?.close();
});

export interface Session {
  token: string;
  user: { id: string; email: string; role: string };
}

/** Signs in through the edge's local login, as the sign-in page does. */
export async function sessionFor(stack: TestStack, email: string): Promise<Session> {
  const res = await fetch(`${stack.edgeUrl}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  if (!res.ok) throw new Error(`login ${res.status}`);
  return (await res.json()) as Session;
}

export interface ShowEvent {
  eventId: string;
  name: string;
  seatedId: string;
  gaId: string;
}

export interface ShowOptions {
  rows?: number;
  seats?: number;
  ga?: number;
  /** The venue's city and IANA zone; Springfield, America/Chicago by default. */
  city?: string;
  timezone?: string;
  /** Start time; 30 days from now by default. */
  startsAt?: Date;
}

/**
 * An on-sale event created by an admin through the edge: a seated section "Stalls" (rows A…,
 * `seats` per row, $50.00) and a general-admission "Floor" ($25.00), findable by search.
 */
export async function onSaleEvent(
  stack: TestStack,
  name: string,
  opts: ShowOptions = {},
): Promise<ShowEvent> {
  const catalog = await edgeClient(CatalogService, stack, "admin@example.com");
  const inventory = await edgeClient(InventoryService, stack, "admin@example.com");
  const rows = Array.from({ length: opts.rows ?? 3 }, (_, i) => ({
    label: String.fromCharCode(65 + i),
    seatCount: opts.seats ?? 6,
  }));
  const { venue } = await catalog.createVenue({
    name: `${name} Hall`,
    address: "1 Main St",
    city: opts.city ?? "Springfield",
    country: "US",
    timezone: opts.timezone ?? "America/Chicago",
    sections: [
      { name: "Stalls", kind: SectionKind.SEATED, rows },
      { name: "Floor", kind: SectionKind.GENERAL_ADMISSION, capacity: opts.ga ?? 20 },
    ],
  });
  const { performer } = await catalog.createPerformer({ name: `${name} Band`, bio: "Loud.", genre: "rock" });
  const startsAt = opts.startsAt ?? new Date(Date.now() + 30 * 86_400_000);
  const { event } = await catalog.createEvent({
    name,
    description: `${name} live, one night only.`,
    category: "concert",
    startsAt: timestampFromDate(startsAt),
    endsAt: timestampFromDate(new Date(startsAt.getTime() + 3 * 3_600_000)),
    venueId: venue?.id ?? "",
    performerIds: [performer?.id ?? ""],
    status: EventStatus.ON_SALE,
  });
  const [seated, ga] = venue?.sections ?? [];
  await inventory.provisionTickets({
    eventId: event?.id ?? "",
    currency: "USD",
    priceTiers: [
      { sectionId: seated?.id ?? "", priceCents: 5000n },
      { sectionId: ga?.id ?? "", priceCents: 2500n },
    ],
  });
  await searchable(stack, name);
  return { eventId: event?.id ?? "", name, seatedId: seated?.id ?? "", gaId: ga?.id ?? "" };
}

/** Waits until search has indexed the event (it follows the catalog's change feed). */
export async function searchable(stack: TestStack, name: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${stack.edgeUrl}/events/search?keyword=${encodeURIComponent(name)}&pageSize=5`);
    const { events = [] } = (await res.json()) as { events?: { name: string }[] };
    if (events.some((e) => e.name === name)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`search never found ${name}`);
}

/** The accessible name of a seat button, as the seat map writes it. */
export const seatName = (row: string, seat: number, status = "available", price = "$50.00") =>
  `Section Stalls, row ${row}, seat ${seat}, ${price}, ${status}`;
