// Result cards tell what a buyer must know before clicking: the start as the venue's clock reads
// it (not the browser's), and, in words, that an event is sold out or cancelled.
import { expect } from "chai";
import type { Page } from "playwright-core";
import { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { CatalogService, EventStatus } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { TestStack } from "../../edge/test/stack.ts";
import { edgeClient } from "../../edge/test/view-fixtures.ts";
import { type Buyer, newBuyer, screenshot, widths } from "./browser.ts";
import { onSaleEvent, sharedStorefront } from "./storefront.ts";

const card = { cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123", name: "Ada" };

/** Buys every ticket of the event through the public API. */
async function sellOut(stack: TestStack, eventId: string, sectionIds: string[]): Promise<void> {
  const api = await edgeClient(TicketingService, stack, "collector@example.com");
  const ticketIds: string[] = [];
  for (const sectionId of sectionIds)
    ticketIds.push(...(await api.listSectionTickets({ eventId, sectionId })).tickets.map((t) => t.id));
  await api.bookTickets({ eventId, ticketIds, payment: card, idempotencyKey: `sell-out-${eventId}` });
}

/** The texts of the card's badges, once they are `expected` (prices and marks are a few s old). */
async function badgesOnCard(page: Page, url: string, name: string, expected: string[]): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  let badges: string[] = [];
  while (Date.now() < deadline) {
    await page.goto(url);
    const found = page.getByRole("listitem").filter({ has: page.getByRole("link", { name, exact: true }) });
    await found.waitFor();
    badges = await found.locator(".badge").allTextContents();
    if (badges.join() === expected.join()) return badges;
    await page.waitForTimeout(500);
  }
  return badges;
}

describe("storefront: result cards (venue time, sold out, cancelled)", () => {
  let stack: TestStack;
  let buyer: Buyer;
  before(async function () {
    this.timeout(180_000);
    stack = await sharedStorefront();
    // A browser far from the venue: a card in the browser's zone would read the next morning.
    buyer = await newBuyer(stack.edgeUrl, { timezoneId: "Asia/Tokyo" });
  });
  after(async () => {
    await buyer?.context.close();
  });

  it("shows the start in the venue's time zone, and a sold-out event's badge", async function () {
    this.timeout(90_000);
    const show = await onSaleEvent(stack, "Harbour Lights Revue", {
      rows: 1,
      seats: 2,
      ga: 1,
      city: "New York",
      timezone: "America/New_York",
      startsAt: new Date("2027-03-14T23:30:00Z"),
    });
    const url = `/search?q=${encodeURIComponent("harbour lights revue")}`;
    await buyer.page.goto(url);
    const result = buyer.page.getByRole("listitem").filter({ hasText: show.name });
    expect(await result.locator(".event-when").textContent()).to.equal("Sun, Mar 14, 2027, 7:30 PM EDT");
    expect(await result.locator(".badge").count()).to.equal(0);

    await sellOut(stack, show.eventId, [show.seatedId, show.gaId]);
    expect(await badgesOnCard(buyer.page, url, show.name, ["Sold out"])).to.deep.equal(["Sold out"]);
    await screenshot(buyer.page, "search-sold-out");
    await buyer.page.setViewportSize({ width: widths.phone, height: 900 });
    await screenshot(buyer.page, "search-sold-out");
    await buyer.page.setViewportSize({ width: widths.desktop, height: 900 });
    expect(buyer.errors).to.deep.equal([]);
  });

  it("badges a cancelled event found by name", async function () {
    this.timeout(90_000);
    const show = await onSaleEvent(stack, "Rainy Day Regatta");
    const catalog = await edgeClient(CatalogService, stack, "admin@example.com");
    await catalog.updateEvent({ eventId: show.eventId, status: EventStatus.CANCELLED });
    const url = `/search?q=${encodeURIComponent("rainy day regatta")}`;
    expect(await badgesOnCard(buyer.page, url, show.name, ["Cancelled"])).to.deep.equal(["Cancelled"]);
    expect(buyer.errors).to.deep.equal([]);
  });
});
