import { expect } from "chai";
import { ConfigError, parseConfig } from "#platform";
import { testIdentityEnv } from "#platform/testing";
import { edgeSpec, loadEdgeConfig } from "../src/config.ts";

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

  it("binds 127.0.0.1 in local mode unless HOST says otherwise, 0.0.0.0 in jwt mode", () => {
    expect(loadEdgeConfig({ ...keys, AUTH_MODE: "local" }).HOST).to.equal("127.0.0.1");
    expect(loadEdgeConfig({ ...keys, AUTH_MODE: "local", HOST: "0.0.0.0" }).HOST).to.equal("0.0.0.0");
    const jwt = { ...keys, AUTH_MODE: "jwt", JWT_SECRET: "s".repeat(32) };
    expect(loadEdgeConfig(jwt).HOST).to.equal("0.0.0.0");
  });

  it("signs local-mode tokens with a random secret when none is given, never a fixed one", () => {
    const one = loadEdgeConfig({ ...keys, AUTH_MODE: "local" }).JWT_SECRET;
    const two = loadEdgeConfig({ ...keys, AUTH_MODE: "local" }).JWT_SECRET;
    expect(one).to.have.length(64);
    expect(one).not.to.equal(two);
    expect(one).not.to.equal("local-development-secret-not-for-production");
  });

  it("takes TRUST_PROXY as true/false, a hop count or proxy addresses, and names it when malformed", () => {
    const parse = (TRUST_PROXY: string) => parseConfig(edgeSpec, { ...keys, TRUST_PROXY }).TRUST_PROXY;
    expect(parseConfig(edgeSpec, keys).TRUST_PROXY).to.equal(false);
    expect(parse("true")).to.equal(true);
    expect(parse("2")).to.equal(2);
    expect(parse("127.0.0.1, 10.0.0.0/8, ::1")).to.deep.equal(["127.0.0.1", "10.0.0.0/8", "::1"]);
    for (const bad of ["haproxy", "10.0.0.0/33", "1.2.3"]) {
      expect(() => parse(bad)).to.throw(ConfigError, /^TRUST_PROXY must be/);
    }
  });
});
