// How soon a stadium's event page is usable, measured in Chromium against the whole local stack
// (run by hand on a quiet machine, not by `npm test`):
//   node --import tsx web/e2e/measure-event-page.ts [runs]
// (MEASURE_WEB_DIR=<a built web/dist copy> measures that build instead of building this one;
// MEASURE_TRACE=1 prints every request's timing.)
// A 60,000-seat venue (40 sections × 50 rows × 30 seats) on sale; each run is a fresh browser
// profile (nothing cached) opening the event by URL. Times are from navigation start, read in the
// page (a MutationObserver notes when each thing first appears):
// - "sections": the section list can be clicked (its links are in the page);
// - "seats": the deep-linked section's seat map can be clicked (an enabled seat button).
import { loadavg } from "node:os";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { CatalogService, EventStatus, SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { startTestStack } from "../../edge/test/stack.ts";
import { edgeClient } from "../../edge/test/view-fixtures.ts";
import { buildWeb, webDist } from "../../scripts/build-web.ts";
import { closeBrowser, newBuyer } from "./browser.ts";

const runs = Number(process.argv[2] ?? 3);

/**
 * Installed before any page script: first-appearance times of what makes the page usable. A
 * string, not a function: the TypeScript loader's helpers would not exist in the page.
 */
const markFirstAppearances = `(() => {
  const marks = (window.__marks = {});
  const probes = { sections: "ul.sections a", seats: "button.seat:not([disabled])" };
  const check = () => {
    for (const [name, selector] of Object.entries(probes))
      if (marks[name] === undefined && document.querySelector(selector)) marks[name] = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.startTime) + "+" + Math.round(e.duration));
  }).observe({ type: "longtask", buffered: true });
})();`;

async function stadium(stack: Awaited<ReturnType<typeof startTestStack>>) {
  const catalog = await edgeClient(CatalogService, stack, "admin@example.com");
  const inventory = await edgeClient(InventoryService, stack, "admin@example.com");
  const rows = Array.from({ length: 50 }, (_, i) => ({ label: String(i + 1), seatCount: 30 }));
  const { venue } = await catalog.createVenue({
    name: "Measure Stadium",
    address: "1 Stadium Way",
    city: "Springfield",
    country: "US",
    timezone: "America/Chicago",
    sections: Array.from({ length: 40 }, (_, i) => ({
      name: String(101 + i),
      kind: SectionKind.SEATED,
      rows,
    })),
  });
  const startsAt = new Date(Date.now() + 30 * 86_400_000);
  const { event } = await catalog.createEvent({
    name: "Measure Night",
    category: "concert",
    startsAt: timestampFromDate(startsAt),
    endsAt: timestampFromDate(new Date(startsAt.getTime() + 3 * 3_600_000)),
    venueId: venue?.id ?? "",
    status: EventStatus.ON_SALE,
  });
  const sections = venue?.sections ?? [];
  await inventory.provisionTickets(
    {
      eventId: event?.id ?? "",
      currency: "USD",
      priceTiers: sections.map((s, i) => ({ sectionId: s.id, priceCents: BigInt(5000 + 500 * (i % 8)) })),
    },
    { timeoutMs: 300_000 },
  );
  return { eventId: event?.id ?? "", sectionId: sections[7]?.id ?? "" };
}

async function measure(url: string, want: string): Promise<Record<string, number>> {
  const buyer = await newBuyer(stackUrl);
  try {
    await buyer.context.addInitScript({ content: markFirstAppearances });
    await buyer.page.goto(url);
    await buyer.page
      .waitForFunction(
        (name) => (window as unknown as { __marks: Record<string, number> }).__marks[name] !== undefined,
        want,
        { timeout: 30_000 },
      )
      .catch(async (err) => {
        const text = await buyer.page
          .locator("main")
          .textContent()
          .catch(() => "");
        throw new Error(
          `${want} never appeared (${buyer.errors.join("; ")}): ${(text ?? "").slice(0, 300)}`,
          {
            cause: err,
          },
        );
      });
    if (buyer.errors.length) throw new Error(`page errors: ${buyer.errors.join("; ")}`);
    if (process.env.MEASURE_TRACE) {
      // Where the time went: each request's start and end, from navigation start.
      const entries = await buyer.page.evaluate(() =>
        performance
          .getEntriesByType("resource")
          .map(
            (e) =>
              `${Math.round(e.startTime)}–${Math.round((e as unknown as { responseEnd: number }).responseEnd)} ms ${e.name.slice(-90)}`,
          ),
      );
      const longTasks = await buyer.page.evaluate(
        () => (window as unknown as { __longTasks: string[] }).__longTasks,
      );
      process.stdout.write(
        `${url}\n  ${entries.join("\n  ")}\n  long tasks (start+ms): ${longTasks.join(", ")}\n`,
      );
    }
    return await buyer.page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return {
        ...(window as unknown as { __marks: Record<string, number> }).__marks,
        html: nav.responseEnd,
        dcl: nav.domContentLoadedEventEnd,
      };
    });
  } finally {
    await buyer.context.close();
  }
}

const webDir = process.env.MEASURE_WEB_DIR ?? webDist;
if (!process.env.MEASURE_WEB_DIR) await buildWeb();
const stack = await startTestStack("measure_event_page", { WEB_DIR: webDir });
const stackUrl = stack.edgeUrl;
try {
  const t0 = Date.now();
  const { eventId, sectionId } = await stadium(stack);
  process.stdout.write(`stadium of 60,000 seats provisioned in ${Date.now() - t0} ms\n`);
  // One untimed visit: the services' own caches (catalog's Redis, prepared statements) warm, as
  // they are on a running stack; the browser's are fresh on every timed run.
  await measure(`/e/${eventId}?section=${sectionId}`, "seats");
  const ms = (v: number | undefined) => (v === undefined ? "—" : `${Math.round(v)} ms`);
  process.stdout.write(
    "run | load avg (1 min) | html | DOMContentLoaded | section list | seat map (1,500 seats)\n",
  );
  for (let i = 1; i <= runs; i++) {
    const load = loadavg()[0]?.toFixed(2);
    const list = await measure(`/e/${eventId}`, "sections");
    const deep = await measure(`/e/${eventId}?section=${sectionId}`, "seats");
    process.stdout.write(
      `${i} | ${load} | ${ms(deep.html)} | ${ms(deep.dcl)} | ${ms(list.sections)} | ${ms(deep.seats)}\n`,
    );
  }
} finally {
  await closeBrowser();
  await stack.close();
}
