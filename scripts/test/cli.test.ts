import { expect } from "chai";
import { runScript } from "./run-script.ts";

async function fails(script: string, args: string[], env: Record<string, string> = {}) {
  const err = await runScript(script, args, env);
  expect(err.code, `${script} should fail`).to.equal(1);
  expect(err.stderr.trim().split("\n"), err.stderr).to.have.length(1);
  expect(err.stderr).to.not.contain("    at ");
  return err.stderr.trim();
}

describe("CLIs: bad input gets one line, never a stack trace", () => {
  it("npm run migrate names an unreachable DATABASE_URL without its password", async () => {
    const line = await fails("scripts/migrate.ts", [], { DATABASE_URL: "postgres://u:secret@127.0.0.1:1/x" });
    expect(line).to.match(/^migrate failed for postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x: /);
  });

  it("npm run migrate names a malformed DATABASE_URL", async () => {
    expect(await fails("scripts/migrate.ts", [], { DATABASE_URL: "nope" })).to.match(
      /^configuration error: DATABASE_URL must be a URL/,
    );
  });

  it("npm run search:reindex refuses arguments it does not take", async () => {
    expect(await fails("services/search/src/reindex-cli.ts", ["--bogus"])).to.match(
      /^search:reindex takes no arguments \(got --bogus\)/,
    );
  });
});
