// Debian's Chromium driven by playwright-core (no browser download): one browser per test run,
// a fresh context per buyer, console errors collected, axe-core checks and screenshots per page.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect } from "chai";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

const root = join(import.meta.dirname, "../..");
/** Where screenshots go: git-ignored by default; `npm run screenshots` writes the committed ones. */
export const screenshotDir = join(root, process.env.SCREENSHOT_DIR ?? ".data/screenshots");
export const widths = { phone: 390, desktop: 1280 } as const;

let browser: Promise<Browser> | undefined;

export function launchBrowser(): Promise<Browser> {
  browser ??= chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  const b = await browser;
  browser = undefined;
  await b?.close();
}

export interface Buyer {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions the page produced. */
  errors: string[];
}

/**
 * A new browser profile at `width`, optionally already signed in (the session the sign-in page
 * stores, written before any script runs) and in a time zone of its own.
 */
export async function newBuyer(
  baseURL: string,
  opts: { width?: number; session?: { token: string; user: unknown }; timezoneId?: string } = {},
): Promise<Buyer> {
  const b = await launchBrowser();
  const context = await b.newContext({
    baseURL,
    viewport: { width: opts.width ?? widths.desktop, height: 900 },
    reducedMotion: "reduce",
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
  });
  if (opts.session) {
    const value = JSON.stringify({ ...opts.session, expiresAt: Date.now() + 3_600_000, local: true });
    await context.addInitScript((v) => {
      if (!localStorage.getItem("ticketing.session")) localStorage.setItem("ticketing.session", v);
    }, value);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(`uncaught: ${err.message}`));
  page.on("console", (msg) => {
    // The browser logs every non-2xx fetch; refusals the page handles (a taken seat, a declined
    // card) and "busy, retry" answers (503, 504) on a loaded machine are expected, not app errors.
    if (
      msg.type() === "error" &&
      !/Failed to load resource: the server responded with a status of (4\d\d|503|504)/.test(msg.text())
    )
      errors.push(msg.text());
  });
  return { context, page, errors };
}

/** No serious or critical axe-core violation on the page as it is now. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const t0 = Date.now();
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
  if (process.env.E2E_TIMING) process.stdout.write(`axe ${label} ${Date.now() - t0} ms\n`);
  expect(bad, `axe on ${label}`).to.deep.equal([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
}

/** Presses Tab until the focused element matches `accessibleName` (keyboard-only journeys). */
export async function tabTo(page: Page, role: string, name: RegExp, most = 60): Promise<void> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return { role: "", name: "" };
      const tag = el.tagName.toLowerCase();
      const implicit: Record<string, string> = {
        a: "link",
        button: "button",
        select: "combobox",
        textarea: "textbox",
      };
      const type = (el as HTMLInputElement).type;
      const inputRole = type === "search" ? "searchbox" : type === "checkbox" ? "checkbox" : "textbox";
      const label =
        el.getAttribute("aria-label") ??
        (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ??
        el.closest("label")?.textContent ??
        el.textContent ??
        "";
      return {
        role: el.getAttribute("role") ?? (tag === "input" ? inputRole : (implicit[tag] ?? tag)),
        name: label.trim(),
      };
    });
    if (focused.role === role && name.test(focused.name)) return;
  }
  throw new Error(`Tab never reached ${role} ${name}`);
}
