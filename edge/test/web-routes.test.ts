// The edge serves the storefront at `/`: hashed assets cached for good, index.html revalidated,
// page URLs answered with the app shell, and every API path exactly as before.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { startTestStack, type TestStack } from "./stack.ts";

describe("edge: the storefront's static files", () => {
  let stack: TestStack;
  let dir: string;
  const html = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "web-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(
      join(dir, "index.html"),
      '<!doctype html><script type="module" src="/assets/app-1a2b.js"></script>',
    );
    writeFileSync(join(dir, "assets", "app-1a2b.js"), "console.log(1)");
    stack = await startTestStack("webroutes", { WEB_DIR: dir });
  });
  after(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.edgeUrl}${path}`, { headers });

  it("serves index.html at / without caching it, and hashed assets as immutable", async () => {
    const index = await get("/", html);
    expect(index.status).to.equal(200);
    expect(index.headers.get("cache-control")).to.equal("no-cache");
    expect(index.headers.get("content-type")).to.match(/^text\/html/);
    expect(index.headers.get("content-security-policy")).to.contain("script-src 'self'");
    expect(await index.text()).to.contain("/assets/app-1a2b.js");
    const asset = await get("/assets/app-1a2b.js");
    expect(asset.status).to.equal(200);
    expect(asset.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
    expect(asset.headers.get("content-type")).to.match(/javascript/);
  });

  it("answers page URLs a browser navigates to with the app shell", async () => {
    for (const path of [
      "/e/8c4f3a52-1d5e-4c51-9d8e-4f2f0f1f4c11?section=x",
      "/search?q=eras",
      "/my/bookings",
      "/nope",
    ]) {
      const res = await get(path, html);
      expect(res.status, path).to.equal(200);
      expect(res.headers.get("cache-control"), path).to.equal("no-cache");
      expect(await res.text(), path).to.contain("<!doctype html>");
    }
  });

  it("leaves the API alone: JSON answers and JSON 404s, whatever the Accept header", async () => {
    const search = await get("/events/search?keyword=x", html);
    expect(search.headers.get("content-type")).to.match(/^application\/json/);
    const event = await get("/events/8c4f3a52-1d5e-4c51-9d8e-4f2f0f1f4c11", html);
    expect(event.status).to.equal(404);
    expect(((await event.json()) as { code: string }).code).to.equal("not_found");
    for (const path of [
      "/me/nothing",
      "/bookings/x/y",
      "/auth/nothing",
      "/ticketing.api.v1.TicketingService/Nope",
    ]) {
      const res = await get(path, html);
      expect(res.status, path).to.equal(404);
      expect(res.headers.get("content-type"), path).to.match(/^application\/json/);
    }
    const health = await get("/healthz", html);
    expect(health.headers.get("content-type")).to.match(/^application\/json/);
  });

  it("answers a missing asset and a non-HTML request for an unknown path with the JSON 404", async () => {
    const asset = await get("/assets/missing-0000.js", html);
    expect(asset.status).to.equal(404);
    expect(((await asset.json()) as { code: string }).code).to.equal("not_found");
    const json = await get("/e/whatever", { accept: "application/json" });
    expect(json.status).to.equal(404);
    const post = await fetch(`${stack.edgeUrl}/e/whatever`, { method: "POST", headers: html });
    expect(post.status).to.equal(404);
  });
});
