import { expect } from "chai";
import { runScript } from "./run-script.ts";

/** Runs `npm start`'s script with the given environment; it must fail fast with one line. */
const startFailing = (env: Record<string, string>) => runScript("scripts/start.ts", [], env);

describe("npm start: bad configuration", () => {
  it("exits non-zero with one line naming a malformed DATABASE_URL", async () => {
    const { code, stderr } = await startFailing({ DATABASE_URL: "garbage" });
    expect(code).to.equal(1);
    expect(stderr.trim().split("\n")).to.have.length(1);
    expect(stderr).to.match(/^configuration error: DATABASE_URL must be a URL/);
  });

  it("exits non-zero with one line saying how to get a Redis when none answers", async () => {
    const { code, stderr } = await startFailing({
      REDIS_URL: "redis://127.0.0.1:1",
      DATABASE_URL: "postgres://x@127.0.0.1:1/x",
    });
    expect(code).to.equal(1);
    expect(stderr.trim().split("\n")).to.have.length(1);
    expect(stderr).to.contain("Redis is not answering at redis://127.0.0.1:1").and.to.contain("REDIS_URL");
  });

  it("names a malformed EDGE_REPLICAS", async () => {
    const { code, stderr } = await startFailing({ EDGE_REPLICAS: "0" });
    expect(code).to.equal(1);
    expect(stderr.trim()).to.match(/^configuration error: EDGE_REPLICAS must be an integer between 1 and 32/);
  });

  it("names a malformed PORT", async () => {
    const { code, stderr } = await startFailing({ PORT: "http" });
    expect(code).to.equal(1);
    expect(stderr.trim()).to.match(/^configuration error: PORT must be an integer/);
  });
});
