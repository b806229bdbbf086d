// A waiting-room event in Chromium: buyers join, see their place move, are admitted straight to
// the seats and buy; the last one in line is told at once that it sold out.
import { expect } from "chai";
import type { Page } from "playwright-core";
import { waitingRoomEvent } from "../../edge/test/queue-fixtures.ts";
import type { TestStack } from "../../edge/test/stack.ts";
import { type Buyer, expectAccessible, newBuyer, screenshot, widths } from "./browser.ts";
import { sessionFor, sharedStorefront } from "./storefront.ts";

async function buyPlaces(page: Page, eventId: string, quantity: number) {
  await page.waitForURL(new RegExp(`/e/${eventId}`));
  await page.getByRole("link", { name: "Floor (general admission)" }).click();
  await page.getByLabel("Quantity").selectOption(String(quantity));
  await page.getByRole("button", { name: "Hold and check out" }).click();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiry").fill("10/30");
  await page.getByLabel("CVC").fill("123");
  await page.getByLabel("Name on card").fill("Queue Fan");
  await page.getByRole("button", { name: /^Pay \$/ }).click();
  await page.getByRole("heading", { name: "You're going!" }).waitFor();
}

describe("storefront: the waiting room (Chromium)", function () {
  this.timeout(120_000);
  let stack: TestStack;
  const buyers: Buyer[] = [];
  before(async () => {
    stack = await sharedStorefront();
  });
  after(async () => Promise.all(buyers.map((b) => b.context.close())));

  it("queues buyers in order, moves their place, admits them to the seats, and says sold out", async () => {
    const { eventId } = await waitingRoomEvent(stack, { places: 3, maxActiveShoppers: 1 });
    const [a, b, c] = await Promise.all(
      ["room-a", "room-b", "room-c"].map(async (name) =>
        newBuyer(stack.edgeUrl, { session: await sessionFor(stack, `${name}@example.com`) }),
      ),
    );
    if (!a || !b || !c) throw new Error("no buyers");
    buyers.push(a, b, c);

    // A is first and shops at once; B and C wait in line behind the one shopper allowed.
    await a.page.goto(`/e/${eventId}`);
    await a.page.getByRole("link", { name: "Floor (general admission)" }).waitFor();
    await b.page.goto(`/e/${eventId}`);
    await b.page.waitForURL(/\/queue\//);
    await b.page.getByText("You are number 1 in line").waitFor();
    await c.page.goto(`/e/${eventId}`);
    await c.page.waitForURL(/\/queue\//);
    await c.page.getByText("You are number 2 in line").waitFor();
    await c.page.getByText("1 person is ahead of you.").waitFor();
    await expectAccessible(c.page, "waiting room at 1280");
    await screenshot(c.page, "waiting-room");
    await c.page.setViewportSize({ width: widths.phone, height: 900 });
    await expectAccessible(c.page, "waiting room at 390");
    await screenshot(c.page, "waiting-room");
    await c.page.setViewportSize({ width: widths.desktop, height: 900 });

    // A buys: the slot frees, B goes straight to the seats, C moves up.
    await buyPlaces(a.page, eventId, 1);
    await c.page.getByText("You are number 1 in line").waitFor({ timeout: 20_000 });
    await c.page.getByText("Nobody is ahead of you.").waitFor();
    expect(c.page.url()).to.contain("/queue/");
    await buyPlaces(b.page, eventId, 2);
    await c.page.getByRole("alert").getByText("Sold out").waitFor({ timeout: 20_000 });
    for (const x of [a, b, c]) expect(x.errors).to.deep.equal([]);
  });

  it("reconnects after a wait that grows with the estimated wait, not every 2 s", async () => {
    const { eventId } = await waitingRoomEvent(stack, { places: 1 });
    const d = await newBuyer(stack.edgeUrl, { session: await sessionFor(stack, "room-d@example.com") });
    buyers.push(d);
    // Far back in line (10 minutes), and the stream keeps failing as if every edge were busy.
    const joins: number[] = [];
    await d.page.route("**/ticketing.api.v1.TicketingService/JoinQueue", (route) => {
      joins.push(Date.now());
      return route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          status: {
            state: "QUEUE_STATE_WAITING",
            number: "5000",
            position: "5000",
            ahead: "4999",
            estimatedWaitSeconds: 600,
          },
        }),
      });
    });
    await d.page.route("**/ticketing.api.v1.TicketingService/WatchQueue", (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({ code: "unavailable", message: "busy" }),
      }),
    );
    await d.page.goto(`/queue/${eventId}?next=${encodeURIComponent(`/e/${eventId}`)}`);
    await d.page.getByText("You are number 5,000 in line").waitFor();
    await d.page.getByText("Reconnecting…").waitFor();
    await new Promise((r) => setTimeout(r, 7_000));
    // 5 % of ten minutes (capped at 30 s), spread over 15–30 s: no second join yet.
    expect(joins).to.have.length(1);
  });
});
