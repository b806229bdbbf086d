import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { serviceClient } from "#platform";
import {
  connectErrorOf,
  createTestDatabase,
  createTestRedisPrefix,
  type TestDatabase,
  testRedisUrl,
} from "#platform/testing";
import { migrateAll } from "../../../scripts/migrate.ts";
import { loadCatalogConfig } from "../src/config.ts";
import { build } from "../src/main.ts";
import { adminHeaders, day, eventRequest, venueRequest } from "./fixtures.ts";

describe("catalog: the served service", () => {
  let db: TestDatabase;
  const redis = createTestRedisPrefix("catalog_server");
  const servers: { close(): Promise<void> }[] = [];
  const start = async (extra: Record<string, string> = {}) => {
    const server = await build(
      loadCatalogConfig({
        DATABASE_URL: db.url,
        REDIS_URL: testRedisUrl,
        REDIS_KEY_PREFIX: redis.prefix,
        LOG_LEVEL: "silent",
        PORT: "0",
        HOST: "127.0.0.1",
        ...extra,
      }),
    );
    servers.push(server);
    return serviceClient(CatalogService, server.url);
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
    const asUser = { headers: { "x-user-id": "u1", "x-user-role": "user" } };
    expect((await connectErrorOf(client.createVenue(venueRequest(), asUser))).code).to.equal(
      Code.PermissionDenied,
    );
    const { venue } = await client.createVenue(venueRequest(), { headers: adminHeaders });
    expect(venue?.capacity).to.equal(9);
  });

  it("validates requests: malformed ids and out-of-range pages are InvalidArgument", async () => {
    const client = await start();
    expect((await connectErrorOf(client.getEvent({ eventId: "nope" }))).code).to.equal(Code.InvalidArgument);
    expect((await connectErrorOf(client.listEvents({ pageSize: 101 }))).code).to.equal(Code.InvalidArgument);
    const { venue } = await client.createVenue(venueRequest(), { headers: adminHeaders });
    const past = eventRequest(venue?.id ?? "", new Date(Date.now() - day));
    const err = await connectErrorOf(client.createEvent(past, { headers: adminHeaders }));
    expect(err.code).to.equal(Code.InvalidArgument);
    expect(err.rawMessage).to.equal("startsAt: must be greater than now");
  });

  it("reads from DATABASE_READ_URL, but from the primary right after a write", async () => {
    // A replica nobody can reach shows where each read goes.
    const client = await start({ DATABASE_READ_URL: "postgres://postgres@127.0.0.1:1/none" });
    const { venue } = await client.createVenue(venueRequest(), { headers: adminHeaders });
    const { event } = await client.createEvent(eventRequest(venue?.id ?? "", new Date(Date.now() + day)), {
      headers: adminHeaders,
    });
    expect((await client.getEvent({ eventId: event?.id ?? "" })).event?.id).to.equal(event?.id);
    expect((await connectErrorOf(client.listEvents({}))).code).to.equal(Code.Unavailable);
  });
});
