// An admin builds an event in the browser (venue with a seat map, performer, event on sale with a
// price per section); a buyer finds it by search and books it — all through the storefront.
import { expect } from "chai";
import type { TestStack } from "../../edge/test/stack.ts";
import { newBuyer, screenshot } from "./browser.ts";
import { searchable, sessionFor, sharedStorefront } from "./storefront.ts";

describe("storefront: admin puts an event on sale, a buyer books it (Chromium)", function () {
  this.timeout(120_000);
  let stack: TestStack;
  before(async () => {
    stack = await sharedStorefront();
  });

  it("creates venue, performer and event, puts it on sale; it is found by search and booked", async () => {
    const admin = await newBuyer(stack.edgeUrl);
    const { page } = admin;
    await page.goto("/signin?next=/admin");
    await page.getByLabel("E-mail").fill("admin@example.com");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "New venue" }).waitFor();

    const venue = page.getByRole("form", { name: "New venue" });
    await venue.getByLabel("Venue name").fill("Harbour Pavilion");
    await venue.getByLabel("Address").fill("9 Quay St");
    await venue.getByLabel("City").fill("Portsmouth");
    await venue.getByLabel("Time zone").fill("Europe/London");
    await venue.getByLabel("Section name").fill("Balcony");
    await venue.getByLabel("Rows").fill("2");
    await venue.getByLabel("Seats per row").fill("4");
    await venue.getByRole("button", { name: "Add section" }).click();
    await venue.getByLabel("Section name").nth(1).fill("Pit");
    await venue.getByLabel("Kind").nth(1).selectOption("ga");
    await venue.getByLabel("Capacity").fill("30");
    await venue.getByRole("button", { name: "Create venue" }).click();
    await page.getByText("Venue “Harbour Pavilion” created with 38 places.").waitFor();

    const performer = page.getByRole("form", { name: "New performer" });
    await performer.getByLabel("Performer name").fill("The Quiet Tides");
    await performer.getByLabel("Genre").fill("folk");
    await performer.getByRole("button", { name: "Create performer" }).click();
    await page.getByText("Performer “The Quiet Tides” created.").waitFor();

    const event = page.getByRole("form", { name: "New event" });
    await event.getByLabel("Event name").fill("Quiet Tides by the Sea");
    await event.getByLabel("Venue").selectOption({ label: "Harbour Pavilion" });
    await event.getByLabel("Performer").selectOption({ label: "The Quiet Tides" });
    const starts = new Date(Date.now() + 20 * 86_400_000);
    await event.getByLabel("Starts (your local time)").fill(`${starts.toISOString().slice(0, 10)}T19:30`);
    await event.getByLabel("Price for Balcony").fill("42.50");
    await event.getByLabel("Price for Pit").fill("20");
    await screenshot(page, "admin-filled");
    await event.getByRole("button", { name: "Create event" }).click();
    await page.getByText("“Quiet Tides by the Sea” is on sale: 38 tickets.").waitFor();
    expect(admin.errors).to.deep.equal([]);
    await admin.context.close();

    await searchable(stack, "Quiet Tides by the Sea");
    const buyer = await newBuyer(stack.edgeUrl, {
      session: await sessionFor(stack, "tides-fan@example.com"),
    });
    const b = buyer.page;
    await b.goto("/");
    await b.getByRole("searchbox", { name: "Search events" }).fill("quiet tides");
    await b.getByRole("searchbox", { name: "Search events" }).press("Enter");
    await b.getByRole("link", { name: "Quiet Tides by the Sea" }).click();
    await b.getByText("Harbour Pavilion · 9 Quay St, Portsmouth").waitFor();
    await b.getByRole("link", { name: "Section Balcony" }).click();
    await b.getByRole("button", { name: "Section Balcony, row B, seat 2, $42.50, available" }).click();
    await b.getByRole("button", { name: "Hold and check out" }).click();
    await b.getByLabel("Card number").fill("4242 4242 4242 4242");
    await b.getByLabel("Expiry").fill("09/29");
    await b.getByLabel("CVC").fill("999");
    await b.getByLabel("Name on card").fill("Tide Fan");
    await b.getByRole("button", { name: "Pay $42.50" }).click();
    await b.getByRole("heading", { name: "You're going!" }).waitFor();
    expect(await b.locator(".facts").textContent()).to.contain("Section Balcony, row B, seat 2");
    expect(buyer.errors).to.deep.equal([]);
    await buyer.context.close();
  });

  it("edits and cancels the event; its page then says cancelled and sells nothing", async () => {
    const admin = await newBuyer(stack.edgeUrl, { session: await sessionFor(stack, "admin@example.com") });
    const { page } = admin;
    await page.goto("/admin");
    const res = await fetch(`${stack.edgeUrl}/events/search?keyword=quiet%20tides&pageSize=1`);
    const id = ((await res.json()) as { events: { id: string }[] }).events[0]?.id ?? "";
    const edit = page.getByRole("region", { name: "Edit or cancel an event" });
    await edit.getByLabel("Event id").fill(id);
    await edit.getByRole("button", { name: "Load event" }).click();
    await edit.getByLabel("Event name").fill("Quiet Tides by the Sea (late show)");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.getByText("Event saved.").waitFor();
    page.once("dialog", (d) => void d.accept());
    await edit.getByRole("button", { name: "Cancel event" }).click();
    await edit.getByText("Event cancelled.").waitFor();
    await page.goto(`/e/${id}`);
    await page.getByRole("heading", { level: 1, name: "Quiet Tides by the Sea (late show)" }).waitFor();
    await page.getByText("Cancelled").first().waitFor();
    await page.getByRole("link", { name: "Section Balcony" }).click();
    await page.getByText("Tickets for this event are not on sale.").waitFor();
    expect(admin.errors).to.deep.equal([]);
    await admin.context.close();
  });
});
