// The whole purchase with the keyboard alone: search, result, section, seats (arrow keys in the
// seat map), sign-in, hold, card form, pay — no mouse event anywhere.
import { expect } from "chai";
import type { TestStack } from "../../edge/test/stack.ts";
import { newBuyer, tabTo } from "./browser.ts";
import { onSaleEvent, seatName, sharedStorefront } from "./storefront.ts";

describe("storefront: keyboard-only purchase (Chromium)", function () {
  this.timeout(120_000);
  let stack: TestStack;
  before(async () => {
    stack = await sharedStorefront();
    await onSaleEvent(stack, "Juniper Static");
  });

  it("buys two seats with Tab, arrows, Space and Enter", async () => {
    const buyer = await newBuyer(stack.edgeUrl);
    const { page } = buyer;
    const kb = page.keyboard;
    await page.goto("/");
    await tabTo(page, "searchbox", /Search events/);
    await kb.type("juniper static");
    await kb.press("Enter");
    await page.waitForURL(/\/search\?q=juniper/);
    await page.getByRole("link", { name: "Juniper Static" }).waitFor();
    await tabTo(page, "link", /^Juniper Static$/);
    await kb.press("Enter");
    await page.waitForURL(/\/e\//);
    await page.getByRole("link", { name: "Section Stalls" }).waitFor();
    await tabTo(page, "link", /^Section Stalls$/);
    await kb.press("Enter");
    // One tab stop into the map lands on its first free seat; arrows move, Space selects.
    await tabTo(page, "button", /^Section Stalls, row A, seat 1,/);
    await kb.press("ArrowDown");
    await kb.press("ArrowRight");
    await kb.press("Space");
    await kb.press("ArrowRight");
    await kb.press("Enter");
    expect(await page.getByRole("button", { name: seatName("B", 2) }).getAttribute("aria-pressed")).to.equal(
      "true",
    );
    expect(await page.getByRole("button", { name: seatName("B", 3) }).getAttribute("aria-pressed")).to.equal(
      "true",
    );
    await tabTo(page, "button", /Sign in to check out/);
    await kb.press("Enter");
    await page.waitForURL(/\/signin/);
    await tabTo(page, "textbox", /E-mail/);
    await kb.type("keys@example.com");
    await kb.press("Enter");
    await page.waitForURL(/\/e\//);
    await page.getByRole("button", { name: "Hold and check out" }).waitFor();
    await tabTo(page, "button", /Hold and check out/);
    await kb.press("Enter");
    await page.waitForURL(/\/checkout\//);
    await page.getByLabel("Card number").waitFor();
    await tabTo(page, "textbox", /Card number/);
    await kb.type("4242424242424242");
    await kb.press("Tab");
    await kb.type("08/31");
    await kb.press("Tab");
    await kb.type("456");
    await kb.press("Tab");
    await kb.type("Kay Board");
    await kb.press("Enter");
    await page.waitForURL(/\/confirmation\//);
    expect(await page.locator(".facts").textContent())
      .to.contain("row B, seat 2")
      .and.contain("row B, seat 3");
    expect(buyer.errors).to.deep.equal([]);
    await buyer.context.close();
  });
});
