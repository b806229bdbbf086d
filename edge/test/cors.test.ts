import { expect } from "chai";
import { type BareEdge, startBareEdge } from "./bare-edge.ts";

describe("edge: CORS", () => {
  let bare: BareEdge;
  const storefront = "https://shop.example.com";
  before(async () => {
    bare = await startBareEdge("edge_cors", { CORS_ORIGINS: `http://localhost:5173, ${storefront}` });
  });
  after(async () => {
    await bare?.close();
  });

  const preflight = (path: string, origin: string, method: string, headers: string) =>
    fetch(`${bare.url}${path}`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
    });

  it("answers a preflight from a configured origin for Connect and REST, before authentication", async () => {
    const connect = await preflight(
      "/ticketing.api.v1.TicketingService/BookTickets",
      storefront,
      "POST",
      "content-type,connect-protocol-version,authorization",
    );
    expect(connect.status).to.equal(204);
    expect(connect.headers.get("access-control-allow-origin")).to.equal(storefront);
    const allowed = (connect.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/,\s*/);
    for (const h of [
      "content-type",
      "connect-protocol-version",
      "authorization",
      "idempotency-key",
      "admission-token",
    ])
      expect(allowed, h).to.include(h);
    const rest = await preflight(
      "/holds/00000000-0000-4000-8000-000000000001",
      "http://localhost:5173",
      "DELETE",
      "authorization",
    );
    expect(rest.status).to.equal(204);
    expect(rest.headers.get("access-control-allow-origin")).to.equal("http://localhost:5173");
    expect(rest.headers.get("access-control-allow-methods")).to.match(/DELETE/);
  });

  it("exposes the Connect and API response headers on real answers, errors included", async () => {
    const res = await fetch(`${bare.url}/me/bookings`, { headers: { origin: storefront } });
    expect(res.status).to.equal(401);
    expect(res.headers.get("access-control-allow-origin")).to.equal(storefront);
    const exposed = (res.headers.get("access-control-expose-headers") ?? "").toLowerCase();
    for (const h of ["grpc-status", "connect-content-encoding", "etag", "location", "retry-after"])
      expect(exposed, h).to.include(h);
  });

  it("does not allow an origin that is not configured", async () => {
    const res = await preflight(
      "/ticketing.api.v1.TicketingService/SearchEvents",
      "https://evil.example",
      "POST",
      "content-type",
    );
    expect(res.headers.get("access-control-allow-origin")).to.equal(null);
    const get = await fetch(`${bare.url}/healthz`, { headers: { origin: "https://evil.example" } });
    expect(get.headers.get("access-control-allow-origin")).to.equal(null);
  });
});
