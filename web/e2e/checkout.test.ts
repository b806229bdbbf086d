// Checkout under contention and failure, in Chromium against the whole stack: two buyers race for
// one seat; a declined card keeps the hold and a second card succeeds; a hold runs out on screen.
import { expect } from "chai";
import type { Page } from "playwright-core";
import type { TestStack } from "../../edge/test/stack.ts";
import { newBuyer } from "./browser.ts";
import {
  onSaleEvent,
  type ShowEvent,
  seatName,
  sessionFor,
  sharedStorefront,
  startStorefront,
} from "./storefront.ts";

async function pay(page: Page, card: string) {
  await page.getByLabel("Card number").fill(card);
  await page.getByLabel("Expiry").fill("10/30");
  await page.getByLabel("CVC").fill("123");
  await page.getByLabel("Name on card").fill("Sam Buyer");
  await page.getByRole("button", { name: /^Pay \$/ }).click();
}

async function holdSeat(page: Page, show: ShowEvent, row: string, seat: number) {
  await page.goto(`/e/${show.eventId}?section=${show.seatedId}`);
  await page.getByRole("button", { name: seatName(row, seat) }).click();
  await page.getByRole("button", { name: "Hold and check out" }).click();
}

describe("storefront: checkout when things go wrong (Chromium)", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let show: ShowEvent;

  before(async () => {
    stack = await sharedStorefront();
    show = await onSaleEvent(stack, "Copper Lanterns");
  });

  it("two buyers want one seat: the second is told which seat went, and sees it sold without a reload", async () => {
    const a = await newBuyer(stack.edgeUrl, { session: await sessionFor(stack, "racer-a@example.com") });
    const b = await newBuyer(stack.edgeUrl, { session: await sessionFor(stack, "racer-b@example.com") });
    try {
      const url = `/e/${show.eventId}?section=${show.seatedId}`;
      await Promise.all([a.page.goto(url), b.page.goto(url)]);
      await b.page.getByRole("button", { name: seatName("C", 2) }).click();
      await holdSeat(a.page, show, "C", 2);
      await a.page
        .getByRole("timer")
        .waitFor()
        .catch(async (err: Error) => {
          throw new Error(`${err.message}\nA's page: ${await a.page.locator("main").textContent()}`);
        });

      // B still has the seat selected (or has just been told it went); holding it is refused by name.
      const hold = b.page.getByRole("button", { name: "Hold and check out" });
      if (await hold.isVisible()) await hold.click();
      await b.page
        .getByRole("status")
        .getByText("Section Stalls, row C, seat 2 was just taken by another buyer")
        .waitFor();
      expect(b.page.url()).to.contain(`/e/${show.eventId}`);

      await pay(a.page, "4242 4242 4242 4242");
      await a.page.waitForURL(/\/confirmation\//);
      // B's map catches up by itself: the seat is drawn sold.
      await b.page.getByRole("button", { name: seatName("C", 2, "sold") }).waitFor({ timeout: 15_000 });
      expect(a.errors).to.deep.equal([]);
      expect(b.errors).to.deep.equal([]);
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  it("a declined card keeps the hold; another card then books the same seats", async () => {
    const buyer = await newBuyer(stack.edgeUrl, { session: await sessionFor(stack, "declined@example.com") });
    try {
      const { page } = buyer;
      await holdSeat(page, show, "A", 1);
      await page.getByRole("timer").waitFor();
      await pay(page, "4000 0000 0000 0002");
      const alert = page.getByRole("alert");
      await alert.getByText(/declined/).waitFor();
      expect(await alert.textContent()).to.contain("your seats are still held");
      await page.getByRole("timer").waitFor();
      await pay(page, "4242 4242 4242 4242");
      await page.waitForURL(/\/confirmation\//);
      expect(await page.locator(".facts").textContent())
        .to.contain("row A, seat 1")
        .and.contain("Visa ending 4242");
      expect(buyer.errors).to.deep.equal([]);
    } finally {
      await buyer.context.close();
    }
  });

  describe("with HOLD_SECONDS=4", () => {
    let short: TestStack;
    let brief: ShowEvent;
    before(async () => {
      short = await startStorefront("web-hold", { HOLD_SECONDS: "4" });
      brief = await onSaleEvent(short, "Paper Moons");
    });
    after(async () => short?.close());

    it("the hold expires on screen and its seats are available again", async () => {
      const buyer = await newBuyer(short.edgeUrl, { session: await sessionFor(short, "slow@example.com") });
      try {
        const { page } = buyer;
        await holdSeat(page, brief, "B", 5);
        await page.getByRole("timer").waitFor();
        await page
          .getByRole("alert")
          .getByText("Your hold has expired and the seats were released.")
          .waitFor({ timeout: 15_000 });
        await page.getByRole("link", { name: "Choose seats again" }).click();
        await page.getByRole("button", { name: seatName("B", 5) }).waitFor({ timeout: 15_000 });
        expect(buyer.errors).to.deep.equal([]);
      } finally {
        await buyer.context.close();
      }
    });
  });
});
