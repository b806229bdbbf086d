import { expect } from "chai";
import { login, startTestStack, type TestStack } from "./stack.ts";

describe("edge: the whole stack", () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack("edge_stack");
  });
  after(async () => {
    await stack?.close();
  });

  it("reports healthy when every service is serving", async () => {
    const res = await fetch(`${stack.edgeUrl}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({
      status: "ok",
      services: { catalog: "serving", search: "serving", inventory: "serving", queue: "serving" },
    });
  });

  it("signs in demo users; admin@example.com is admin; the same e-mail is the same user", async () => {
    const post = (email: string) =>
      fetch(`${stack.edgeUrl}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email }),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { user: { id: string; role: string } },
      }));
    const a = await post("Fan@Example.com");
    const b = await post("fan@example.com");
    const admin = await post("admin@example.com");
    expect(a.status).to.equal(200);
    expect(a.body.user.id).to.equal(b.body.user.id);
    expect(a.body.user.role).to.equal("user");
    expect(admin.body.user.role).to.equal("admin");
    expect(await login(stack.edgeUrl, "other@example.com")).to.be.a("string");
  });

  it("answers bad input with 400/401/404 JSON, never 500", async () => {
    const bad = await fetch(`${stack.edgeUrl}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(bad.status).to.equal(400);
    expect(await bad.json()).to.have.property("code", "invalid_argument");
    const unauth = await fetch(`${stack.edgeUrl}/healthz`, { headers: { authorization: "Bearer nope" } });
    expect(unauth.status).to.equal(401);
    expect(await unauth.json()).to.deep.equal({ code: "unauthenticated", message: "invalid token" });
    const missing = await fetch(`${stack.edgeUrl}/no/such/route`);
    expect(missing.status).to.equal(404);
    expect(await missing.json()).to.have.property("code", "not_found");
  });
});
