import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { asCaller, serviceClient } from "#platform";
import {
  connectErrorOf,
  createTestDatabase,
  createTestRedisPrefix,
  forgedIdentityHeaders,
  signedClient,
  type TestDatabase,
  testIdentityEnv,
  testRedisUrl,
} from "#platform/testing";
import { migrateAll } from "../../../scripts/migrate.ts";
import { loadCatalogConfig } from "../src/config.ts";
import { build } from "../src/main.ts";
import { asAdmin, day, eventRequest, venueRequest } from "./fixtures.ts";

describe("catalog: the served service", () => {
  let db: TestDatabase;
  const redis = createTestRedisPrefix("catalog_server");
  const servers: { url: string; close(): Promise<void> }[] = [];
  const start = async (extra: Record<string, string> = {}) => {
    const server = await build(
      loadCatalogConfig({
        DATABASE_URL: db.url,
        REDIS_URL: testRedisUrl,
        REDIS_KEY_PREFIX: redis.prefix,
        LOG_LEVEL: "silent",
        PORT: "0",
        HOST: "127.0.0.1",
        ...testIdentityEnv(),
        ...extra,
      }),
    );
    servers.push(server);
    return signedClient(CatalogService, server.url);
  };
  before(async () => {
    db = await createTestDatabase("catalog_server");
    await migrateAll(db.url);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await redis.clear();
    await db?.drop();
  });

  it("lets only admins write: Unauthenticated without identity, PermissionDenied for users", async () => {
    const client = await start();
    expect((await connectErrorOf(client.createVenue(venueRequest()))).code).to.equal(Code.Unauthenticated);
    const asUser = asCaller({ userId: "u1", role: "user" });
    expect((await connectErrorOf(client.createVenue(venueRequest(), asUser))).code).to.equal(
      Code.PermissionDenied,
    );
    const { venue } = await client.createVenue(venueRequest(), asAdmin);
    expect(venue?.capacity).to.equal(9);
  });

  it("refuses forged, expired and misdirected identities (Unauthenticated) and ignores bare headers", async () => {
    await start();
    // A plain client: the signing one would replace the forged header with its own token.
    const client = serviceClient(CatalogService, servers.at(-1)?.url ?? "");
    const admin = { userId: "00000000-0000-4000-8000-000000000001", role: "admin" } as const;
    for (const [what, headers] of Object.entries(await forgedIdentityHeaders(admin, "catalog"))) {
      const err = await connectErrorOf(client.createVenue(venueRequest(), { headers }));
      expect(err.code, what).to.equal(Code.Unauthenticated);
      if (what.startsWith("bare")) {
        // Ignored: the call is anonymous, so a read works and a write needs a sign-in.
        expect(err.rawMessage, what).to.equal("sign in first");
        expect((await client.listEvents({}, { headers })).events, what).to.be.an("array");
      } else {
        // Examined and refused, even on a read that needs no caller.
        expect(err.rawMessage, what).to.match(/identity token/);
        const read = await connectErrorOf(client.listEvents({}, { headers }));
        expect(read.code, what).to.equal(Code.Unauthenticated);
      }
    }
  });

  it("validates requests: malformed ids and out-of-range pages are InvalidArgument", async () => {
    const client = await start();
    expect((await connectErrorOf(client.getEvent({ eventId: "nope" }))).code).to.equal(Code.InvalidArgument);
    expect((await connectErrorOf(client.listEvents({ pageSize: 101 }))).code).to.equal(Code.InvalidArgument);
    const { venue } = await client.createVenue(venueRequest(), asAdmin);
    const past = eventRequest(venue?.id ?? "", new Date(Date.now() - day));
    const err = await connectErrorOf(client.createEvent(past, asAdmin));
    expect(err.code).to.equal(Code.InvalidArgument);
    expect(err.rawMessage).to.equal("startsAt: must be greater than now");
    // Only the categories search can filter by.
    const opera = eventRequest(venue?.id ?? "", new Date(Date.now() + day), { category: "opera" });
    const refused = await connectErrorOf(client.createEvent(opera, asAdmin));
    expect([refused.code, refused.rawMessage]).to.deep.equal([
      Code.InvalidArgument,
      "category: must be in list [comedy, concert, family, sports, theater]",
    ]);
  });

  it("reads from DATABASE_READ_URL, but from the primary right after a write", async () => {
    // A replica nobody can reach shows where each read goes.
    const client = await start({ DATABASE_READ_URL: "postgres://postgres@127.0.0.1:1/none" });
    const { venue } = await client.createVenue(venueRequest(), asAdmin);
    const { event } = await client.createEvent(
      eventRequest(venue?.id ?? "", new Date(Date.now() + day)),
      asAdmin,
    );
    expect((await client.getEvent({ eventId: event?.id ?? "" })).event?.id).to.equal(event?.id);
    expect((await connectErrorOf(client.listEvents({}))).code).to.equal(Code.Unavailable);
  });
});
