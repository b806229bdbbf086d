// The buyer's journey in Chromium against the whole stack: a search with a typo, the event, two
// seats, sign-in (and back to the same seats), hold, pay, confirmation, My bookings.
import { expect } from "chai";
import type { TestStack } from "../../edge/test/stack.ts";
import { type Buyer, expectAccessible, newBuyer, screenshot, widths } from "./browser.ts";
import { onSaleEvent, type ShowEvent, seatName, sharedStorefront } from "./storefront.ts";

describe("storefront: the buyer journey (Chromium)", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let show: ShowEvent;
  let buyer: Buyer;

  before(async () => {
    stack = await sharedStorefront();
    show = await onSaleEvent(stack, "Marigold Thunder");
    buyer = await newBuyer(stack.edgeUrl);
  });
  after(async () => buyer?.context.close());

  it("finds the event despite a typo, picks two seats, signs in, holds, pays and sees the booking", async () => {
    const { page } = buyer;
    await page.goto("/");
    await page.getByRole("searchbox", { name: "Search events" }).fill("marigld thundr");
    await page.getByRole("searchbox", { name: "Search events" }).press("Enter");
    await page.waitForURL(/\/search\?q=marigld/);
    await page.getByRole("link", { name: "Marigold Thunder" }).click();
    await page.waitForURL(new RegExp(`/e/${show.eventId}`));
    await page.getByRole("heading", { level: 1, name: "Marigold Thunder" }).waitFor();

    await page.getByRole("link", { name: "Section Stalls" }).click();
    await page.getByRole("button", { name: seatName("B", 3) }).click();
    await page.getByRole("button", { name: seatName("B", 4) }).click();
    expect(await page.getByRole("button", { name: seatName("B", 3) }).getAttribute("aria-pressed")).to.equal(
      "true",
    );
    await page.getByText("2 tickets, total $100.00").waitFor();

    // Signed out: asked to sign in, then back to the same two seats.
    await page.getByRole("button", { name: "Sign in to check out" }).click();
    await page.waitForURL(/\/signin\?next=/);
    await page.getByLabel("E-mail").fill("journey@example.com");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(new RegExp(`/e/${show.eventId}`));
    for (const seat of [3, 4]) {
      expect(
        await page.getByRole("button", { name: seatName("B", seat) }).getAttribute("aria-pressed"),
      ).to.equal("true");
    }

    await page.getByRole("button", { name: "Hold and check out" }).click();
    await page.waitForURL(/\/checkout\//);
    await page.getByRole("timer").waitFor();
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByText("Visa number looks right").waitFor();
    await page.getByLabel("Expiry").fill("12/30");
    await page.getByLabel("CVC").fill("123");
    await page.getByLabel("Name on card").fill("Jo Buyer");
    await page.getByRole("button", { name: "Pay $100.00" }).click();

    await page.waitForURL(/\/confirmation\//);
    await page.getByRole("heading", { name: "You're going!" }).waitFor();
    const facts = await page.locator(".facts").textContent();
    expect(facts).to.contain("Section Stalls, row B, seat 3").and.contain("Section Stalls, row B, seat 4");
    expect(facts).to.contain("$100.00").and.contain("Confirmed");

    await page.getByRole("link", { name: "All my bookings" }).click();
    await page.waitForURL(/\/my\/bookings$/);
    await page.getByRole("link", { name: "Marigold Thunder" }).click();
    await page.getByRole("heading", { level: 1, name: "Marigold Thunder" }).waitFor();
    expect(await page.locator(".facts").textContent()).to.contain("row B, seat 4");

    // The seats are sold now, on a fresh load of the event page (a deep link).
    await page.goto(`/e/${show.eventId}?section=${show.seatedId}`);
    await page.getByRole("button", { name: seatName("B", 3, "sold") }).waitFor();
    expect(buyer.errors).to.deep.equal([]);
  });

  it("keeps search state in the URL: Back returns to the same results", async () => {
    const { page } = buyer;
    await page.goto("/search?q=marigold&category=concert");
    await page.getByRole("heading", { name: /1 event for “marigold”/ }).waitFor();
    await page.getByRole("link", { name: "Marigold Thunder" }).click();
    await page.waitForURL(/\/e\//);
    await page.goBack();
    await page.waitForURL(/\/search\?q=marigold&category=concert/);
    expect(await page.getByRole("searchbox", { name: "Search events" }).inputValue()).to.equal("marigold");
    await page.getByRole("link", { name: "Marigold Thunder" }).waitFor();
    expect(await page.getByLabel("Category").inputValue()).to.equal("concert");
  });

  it("says so when nothing matches and offers a wider search", async () => {
    const { page } = buyer;
    await page.goto("/search?q=zzyzx+qqq&city=Nowhere");
    await page.getByText("No events match this search.").waitFor();
    await page.getByRole("link", { name: "Search without date, city and category filters" }).waitFor();
    await expectAccessible(page, "empty search at 1280");
    await screenshot(page, "search-empty");
    await page.setViewportSize({ width: widths.phone, height: 900 });
    await expectAccessible(page, "empty search at 390");
    await screenshot(page, "search-empty");
    await page.setViewportSize({ width: widths.desktop, height: 900 });
  });
});
