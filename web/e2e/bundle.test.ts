// The home page's first load stays within its budget, and the heavy pages stay out of it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { initialJs, initialJsBudget, kB, webDist } from "../../scripts/build-web.ts";
import { sharedStorefront } from "./storefront.ts";

describe("storefront: bundle", () => {
  before(async function () {
    this.timeout(120_000);
    await sharedStorefront(); // builds web/dist once for the run
  });

  it(`loads at most ${kB(initialJsBudget)} of JavaScript (gzip) before the home page runs`, () => {
    const { gzipBytes, files } = initialJs();
    expect(files.length).to.be.greaterThan(0);
    expect(gzipBytes, files.map((f) => `${f.path} ${kB(f.gzipBytes)}`).join(", ")).to.be.at.most(
      initialJsBudget,
    );
  });

  it("leaves admin, the seat map and checkout to chunks loaded on demand", () => {
    const initial = initialJs()
      .files.map((f) => readFileSync(join(webDist, f.path), "utf8"))
      .join("\n");
    for (const marker of ["Create venue", "Zoom in", "Name on card"]) expect(initial).not.to.contain(marker);
  });
});
