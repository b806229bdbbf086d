import { expect } from "chai";
import { ConfigError, parseConfig } from "#platform";
import { testIdentityEnv } from "#platform/testing";
import { edgeSpec } from "../src/config.ts";

describe("edge: configuration", () => {
  const keys = testIdentityEnv();

  it("takes LISTEN_BACKLOG as a positive integer (default 4096) and names it when it is not one", () => {
    expect(parseConfig(edgeSpec, keys).LISTEN_BACKLOG).to.equal(4096);
    expect(parseConfig(edgeSpec, { ...keys, LISTEN_BACKLOG: "1024" }).LISTEN_BACKLOG).to.equal(1024);
    for (const bad of ["0", "many", "70000"]) {
      expect(() => parseConfig(edgeSpec, { ...keys, LISTEN_BACKLOG: bad })).to.throw(
        ConfigError,
        /^LISTEN_BACKLOG/,
      );
    }
  });
});
