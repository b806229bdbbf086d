// Builders for catalog test data and a service harness over a database and Redis prefix of its own.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type CreateEventRequest,
  CreateEventRequestSchema,
  type CreateVenueRequest,
  CreateVenueRequestSchema,
  SectionKind,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { asCaller, createLogger, createOrm, createRedis, migrate, type Orm, SqlPools } from "#platform";
import { callerContext, createTestDatabase, createTestRedisPrefix, testRedisUrl } from "#platform/testing";
import { CatalogService } from "../src/catalog-service.ts";
import { catalogDb } from "../src/db.ts";

export const day = 86_400_000;

export function venueRequest(
  overrides: Omit<MessageInitShape<typeof CreateVenueRequestSchema>, "$typeName"> = {},
): CreateVenueRequest {
  return create(CreateVenueRequestSchema, {
    name: "Riverside Arena",
    address: "1 River Road",
    city: "Springfield",
    country: "US",
    timezone: "America/Chicago",
    sections: [
      {
        name: "Floor",
        kind: SectionKind.SEATED,
        rows: [
          { label: "A", seatCount: 3 },
          { label: "B", seatCount: 2 },
        ],
      },
      { name: "Standing", kind: SectionKind.GENERAL_ADMISSION, capacity: 4 },
    ],
    ...overrides,
  });
}

export function eventRequest(
  venueId: string,
  startsAt: Date,
  overrides: Omit<MessageInitShape<typeof CreateEventRequestSchema>, "$typeName"> = {},
): CreateEventRequest {
  return create(CreateEventRequestSchema, {
    name: "Neon Wolves live",
    description: "Three hours of arena rock.",
    category: "concert",
    startsAt: timestampFromDate(startsAt),
    endsAt: timestampFromDate(new Date(startsAt.getTime() + 3 * 3_600_000)),
    venueId,
    ...overrides,
  });
}

const adminCaller = { userId: "00000000-0000-4000-8000-000000000001", role: "admin" } as const;

/** Call options for a signedClient call as an admin. */
export const asAdmin = asCaller(adminCaller);

/** A HandlerContext stand-in for calling the service class directly as an admin. */
export const adminCtx = callerContext(adminCaller);

export interface Harness {
  orm: Orm;
  pools: SqlPools;
  service: CatalogService;
  redis: ReturnType<typeof createRedis>;
  prefix: string;
  dbUrl: string;
  close(): Promise<void>;
}

/** A migrated database and Redis prefix of their own, and a CatalogService built over them. */
export async function startHarness(
  label: string,
  options: { cacheTtlMs?: number; clock?: () => Date } = {},
): Promise<Harness> {
  const db = await createTestDatabase(label);
  const prefix = createTestRedisPrefix(label);
  const orm = await createOrm({ url: db.url, ...catalogDb, poolMax: 4 });
  await migrate(orm, catalogDb.schema);
  const redis = createRedis(testRedisUrl, { keyPrefix: prefix.prefix });
  const pools = new SqlPools(db.url, undefined, 4);
  const service = new CatalogService({
    orm,
    pools,
    redis,
    logger: createLogger("catalog-test", "silent"),
    clock: options.clock ?? (() => new Date()),
    keyPrefix: prefix.prefix,
    cacheTtlMs: options.cacheTtlMs ?? 60_000,
  });
  return {
    orm,
    pools,
    service,
    redis,
    prefix: prefix.prefix,
    dbUrl: db.url,
    async close() {
      redis.disconnect();
      await Promise.all([orm.close(), pools.close()]);
      await prefix.clear();
      await db.drop();
    },
  };
}
