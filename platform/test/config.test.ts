import { expect } from "chai";
import { ConfigError, env, parseConfig, redact } from "../src/config.ts";

describe("platform/config", () => {
  const spec = {
    PORT: env.int(8080, 1, 65535),
    DATABASE_URL: env.url(["postgres", "postgresql"]),
    MODE: env.oneOf(["local", "jwt"], "jwt"),
    ENABLED: env.bool(false),
  };

  it("applies defaults and parses values", () => {
    const cfg = parseConfig(spec, { DATABASE_URL: "postgres://u@h/db", ENABLED: "yes" });
    expect(cfg).to.deep.equal({ PORT: 8080, DATABASE_URL: "postgres://u@h/db", MODE: "jwt", ENABLED: true });
  });

  it("names a missing variable", () => {
    expect(() => parseConfig(spec, {})).to.throw(ConfigError, "DATABASE_URL is required");
  });

  it("names a malformed variable", () => {
    expect(() => parseConfig(spec, { DATABASE_URL: "garbage" })).to.throw(
      ConfigError,
      /^DATABASE_URL must be a URL/,
    );
    expect(() => parseConfig(spec, { DATABASE_URL: "http://x" })).to.throw(
      ConfigError,
      /DATABASE_URL must use postgres/,
    );
    expect(() => parseConfig(spec, { DATABASE_URL: "postgres://h/d", PORT: "80a" })).to.throw(
      ConfigError,
      /^PORT must be an integer/,
    );
    expect(() => parseConfig(spec, { DATABASE_URL: "postgres://h/d", PORT: "70000" })).to.throw(
      ConfigError,
      /^PORT/,
    );
    expect(() => parseConfig(spec, { DATABASE_URL: "postgres://h/d", MODE: "x" })).to.throw(
      ConfigError,
      /^MODE must be one of/,
    );
  });

  it("hides passwords when echoing a URL", () => {
    expect(redact("postgres://user:secret@host/db")).to.equal("postgres://user:***@host/db");
  });
});
