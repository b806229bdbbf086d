// Every page at phone and desktop width: no console error, nothing wider than the screen, no
// serious or critical axe-core violation (at both widths: the layout, what is shown and what can
// overlap differ), and a screenshot of each (docs/screenshots via `npm run screenshots`).
import { expect } from "chai";
import type { Page } from "playwright-core";
import type { TestStack } from "../../edge/test/stack.ts";
import { expectAccessible, newBuyer, screenshot, widths } from "./browser.ts";
import {
  onSaleEvent,
  type Session,
  type ShowEvent,
  seatName,
  sessionFor,
  sharedStorefront,
} from "./storefront.ts";

async function noSideways(page: Page, label: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${label} is wider than the screen`).to.be.at.most(0);
}

describe("storefront: every page at 390 and 1280 px (axe-core, Chromium)", function () {
  this.timeout(180_000);
  let stack: TestStack;
  let show: ShowEvent;
  let fan: Session;
  let admin: Session;
  let bookingId: string;

  before(async () => {
    stack = await sharedStorefront();
    show = await onSaleEvent(stack, "Velvet Comet", { rows: 8, seats: 14 });
    fan = await sessionFor(stack, "pages@example.com");
    admin = await sessionFor(stack, "admin@example.com");
    // A booking to show, made through the public API as the app makes it.
    const page = await newBuyer(stack.edgeUrl, { session: fan });
    await page.page.goto(`/e/${show.eventId}?section=${show.seatedId}`);
    await page.page.getByRole("button", { name: seatName("H", 7) }).click();
    await page.page.getByRole("button", { name: "Hold and check out" }).click();
    await page.page.getByLabel("Card number").fill("4242424242424242");
    await page.page.getByLabel("Expiry").fill("11/31");
    await page.page.getByLabel("CVC").fill("321");
    await page.page.getByLabel("Name on card").fill("Pat Fan");
    await page.page.getByRole("button", { name: /^Pay/ }).click();
    await page.page.waitForURL(/\/confirmation\//);
    bookingId = page.page.url().split("/").pop() ?? "";
    await page.context.close();
  });

  for (const width of [widths.phone, widths.desktop]) {
    it(`home, search, event, sign-in, checkout, confirmation, bookings, admin and 404 at ${width} px`, async () => {
      const visit = async (
        path: string,
        name: string,
        ready: (p: Page) => Promise<unknown>,
        who?: Session,
      ) => {
        const buyer = await newBuyer(stack.edgeUrl, { width, ...(who ? { session: who } : {}) });
        await buyer.page.goto(path);
        await ready(buyer.page).catch(async (err: Error) => {
          await screenshot(buyer.page, `FAILED-${name}`);
          const text = await buyer.page.locator("main").textContent();
          throw new Error(
            `${name} at ${width}: ${err.message}\npage: ${text}\nconsole: ${buyer.errors.join("; ")}`,
          );
        });
        await expectAccessible(buyer.page, `${name} at ${width}`);
        await noSideways(buyer.page, `${name} at ${width}`);
        await screenshot(buyer.page, name);
        expect(buyer.errors, `${name} console`).to.deep.equal([]);
        return buyer;
      };
      await (
        await visit("/", "home", (p) => p.getByRole("link", { name: "Velvet Comet" }).waitFor())
      ).context.close();
      await (
        await visit("/search?q=velvet+comet", "search", (p) =>
          p.getByRole("link", { name: "Velvet Comet" }).waitFor(),
        )
      ).context.close();
      await (
        await visit("/signin?next=/", "signin", (p) => p.getByLabel("E-mail").waitFor())
      ).context.close();

      const event = await visit(
        `/e/${show.eventId}?section=${show.seatedId}`,
        "event",
        async (p) => {
          await p.getByRole("button", { name: seatName("A", 5) }).click();
          await p.getByRole("button", { name: seatName("A", 6) }).click();
          await p.getByRole("button", { name: seatName("H", 7, "sold") }).waitFor();
        },
        fan,
      );
      await event.page.getByRole("button", { name: "Hold and check out" }).click();
      await event.page.getByRole("timer").waitFor();
      await event.page.getByLabel("Card number").fill("4242 4242 4242 4241");
      await event.page.getByText("this card number is not valid").waitFor();
      await expectAccessible(event.page, `checkout at ${width}`);
      await noSideways(event.page, `checkout at ${width}`);
      await screenshot(event.page, "checkout");
      await event.page.getByRole("button", { name: "Release seats" }).click();
      await event.page.waitForURL(/\/e\//);
      await event.context.close();

      await (
        await visit(
          `/e/${show.eventId}?section=${show.gaId}&qty=2`,
          "event-ga",
          (p) => p.getByLabel("Quantity").waitFor(),
          fan,
        )
      ).context.close();
      await (
        await visit(
          `/confirmation/${bookingId}`,
          "confirmation",
          (p) => p.getByText("row H, seat 7").waitFor(),
          fan,
        )
      ).context.close();
      await (
        await visit(
          "/my/bookings",
          "my-bookings",
          (p) => p.getByRole("link", { name: "Velvet Comet" }).waitFor(),
          fan,
        )
      ).context.close();
      await (
        await visit("/admin", "admin", (p) => p.getByRole("heading", { name: "New venue" }).waitFor(), admin)
      ).context.close();
      await (
        await visit("/no/such/page", "not-found", (p) =>
          p.getByRole("heading", { name: "Page not found" }).waitFor(),
        )
      ).context.close();
    });
  }
});
