// A fresh inventory per test file: its own database (inventory schema migrated), Redis key
// prefix, sandbox gateway and a clock the test can move. Tickets are inserted through the
// repository, so these tests never need the catalog.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Client } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import type { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import {
  type Caller,
  createLockClients,
  createLogger,
  createOrm,
  createRedis,
  migrate,
  type Orm,
  redisReady,
  SqlPools,
} from "#platform";
import { createTestDatabase, createTestRedisPrefix, testRedisUrl } from "#platform/testing";
import { createInventory, type Inventory, type InventoryDeps, type InventorySettings } from "../src/app.ts";
import type { Clock } from "../src/clock.ts";
import { inventoryDb } from "../src/db.ts";
import { paymentsSandboxDb } from "../src/payments/sandbox/sandbox-db.ts";
import { SandboxGateway } from "../src/payments/sandbox/sandbox-gateway.ts";
import { SandboxStore } from "../src/payments/sandbox/sandbox-store.ts";
import type { SaleWindow } from "../src/sales/sale-window.ts";

export class TestClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface InventoryFixture {
  inventory: Inventory;
  orm: Orm;
  /** The services' statement pools (the same the repositories use). */
  pools: SqlPools;
  redis: Redis;
  lockClients: Redis[];
  gateway: SandboxGateway;
  clock: TestClock;
  databaseUrl: string;
  prefix: string;
  /** Rebuilds the services over the same database and Redis with other settings or hooks. */
  rebuild(overrides?: Partial<FixtureOptions>): Inventory;
  /** Inserts `count` tickets for a new event, one section, rows of 20; returns their ids. */
  seed(
    count: number,
    priceCents?: number,
  ): Promise<{ eventId: string; sectionId: string; ticketIds: string[] }>;
  /** A PENDING booking of the tickets, as a booking opens it before authorizing; returns its id. */
  openBooking(eventId: string, ticketIds: string[]): Promise<string>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  settings: Partial<InventorySettings>;
  lockUrls: string[];
  redisUrl: string;
  onStep: InventoryDeps["onStep"];
  poolMax: number;
  /** Rewrites the database URL the services use (e.g. through a proxy that tests can cut). */
  ormUrl: (url: string) => string;
}

export const defaultSettings: Omit<InventorySettings, "REDIS_KEY_PREFIX"> = {
  HOLD_SECONDS: 600,
  BOOKING_LEASE_MS: 30_000,
  HOLD_EXPIRY_SWEEP_MS: 0,
  MAX_TICKETS_PER_ORDER: 8,
  MAX_HELD_PER_USER: 0,
  PAYMENT_TIMEOUT_MS: 2_000,
  RECONCILE_AFTER_SECONDS: 120,
  RECONCILE_GIVE_UP_SECONDS: 3_600,
  RECONCILE_INTERVAL_SECONDS: 0,
  ADMISSION_PUBLIC_KEYS: undefined,
};

export const unusedCatalog = new Proxy({} as Client<typeof CatalogService>, {
  get: () => () => Promise.reject(new Error("catalog is not part of this test")),
});

export async function createInventoryFixture(label: string, options: Partial<FixtureOptions> = {}) {
  const db = await createTestDatabase(`inventory_${label}`);
  const redisPrefix = createTestRedisPrefix(`inventory_${label}`);
  const orm = await createOrm({
    url: options.ormUrl?.(db.url) ?? db.url,
    ...inventoryDb,
    poolMax: options.poolMax ?? 20,
  });
  await migrate(orm, inventoryDb.schema);
  const pools = new SqlPools(options.ormUrl?.(db.url) ?? db.url, undefined, options.poolMax ?? 20, {
    genericPlans: true,
  });
  const redis = createRedis(options.redisUrl ?? testRedisUrl, { keyPrefix: redisPrefix.prefix });
  const lockClients = createLockClients(options.lockUrls ?? [testRedisUrl]);
  await Promise.allSettled([redis, ...lockClients].map((c) => redisReady(c, 2000)));
  const clock = new TestClock();
  const sandbox = await createSandbox(db.url);
  // The provider shares the test's clock, so a test can let an authorization expire.
  const gateway = new SandboxGateway(sandbox, {
    clock,
    authorizationTtlMs: 3_600_000,
    hangMs: 5_000,
  });
  const logger = createLogger("inventory-test", process.env.TEST_LOG_LEVEL ?? "silent");
  const build = (o: Partial<FixtureOptions> = {}) =>
    createInventory({
      db: pools,
      redis,
      lockClients,
      catalog: unusedCatalog,
      gateway,
      clock,
      logger,
      settings: {
        ...defaultSettings,
        ...options.settings,
        ...o.settings,
        REDIS_KEY_PREFIX: redisPrefix.prefix,
      },
      ...((o.onStep ?? options.onStep) ? { onStep: o.onStep ?? options.onStep } : {}),
    });
  const fixture: InventoryFixture = {
    inventory: build(),
    orm,
    pools,
    redis,
    lockClients,
    gateway,
    clock,
    databaseUrl: db.url,
    prefix: redisPrefix.prefix,
    rebuild: build,
    async seed(count, priceCents = 5000) {
      const eventId = randomUUID();
      const sectionId = randomUUID();
      await fixture.inventory.tickets.insertMissing(
        Array.from({ length: count }, (_, i) => ({
          eventId,
          sectionId,
          rowLabel:
            String.fromCharCode(65 + (Math.floor(i / 20) % 26)) + (i >= 520 ? Math.floor(i / 520) : ""),
          seat: (i % 20) + 1,
          priceCents,
          currency: "USD",
        })),
      );
      await fixture.inventory.sales.save(onSale(eventId));
      const rows = await fixture.inventory.tickets.list(eventId);
      return { eventId, sectionId, ticketIds: rows.map((r) => r.id) };
    },
    async openBooking(eventId, ticketIds) {
      const id = randomUUID();
      const { opened } = await fixture.inventory.bookings.open({
        id,
        userId: user().userId,
        eventId,
        ticketIds,
        idempotencyKey: id,
        requestHash: "h",
        paymentProvider: "sandbox",
        cardBrand: "visa",
        cardLast4: "4242",
        createdAt: new Date(),
      });
      if (!opened) throw new Error(`booking of ${ticketIds.join(", ")} was not opened`);
      return id;
    },
    async close() {
      await fixture.inventory.reconciler.stop();
      redis.disconnect();
      for (const c of lockClients) c.disconnect();
      // After a connection died inside a transaction, MikroORM 7.2.1 can keep one pool slot
      // checked out and close() then waits forever; the database is dropped with force anyway.
      await Promise.race([Promise.all([orm.close(), pools.close(), sandbox.close()]), sleep(2000)]);
      await redisPrefix.clear();
      await db.drop();
    },
  };
  return fixture;
}

/** The sandbox provider's schema migrated into `url`, and its store (the provider's own pool). */
export async function createSandbox(url: string): Promise<SandboxStore> {
  const orm = await createOrm({ url, ...paymentsSandboxDb, poolMax: 1 });
  try {
    await migrate(orm, paymentsSandboxDb.schema);
  } finally {
    await orm.close();
  }
  return new SandboxStore(url);
}

/** A sale window open from a day ago until the event starts in thirty days (catalog version 1). */
export const onSale = (eventId: string, overrides: Partial<SaleWindow> = {}): SaleWindow => ({
  eventId,
  status: "ON_SALE",
  startsAt: new Date(Date.now() + 30 * 86_400_000),
  saleStartsAt: new Date(Date.now() - 86_400_000),
  saleEndsAt: null,
  version: 1,
  ...overrides,
});

export const user = (name = "u"): Caller => ({ userId: `${name}-${randomUUID()}`, role: "user" });

export const goodCard = {
  number: "4242 4242 4242 4242",
  expMonth: 12,
  expYear: 2099,
  cvc: "123",
  name: "Ada Lovelace",
};
export const cardWith = (number: string) => ({ ...goodCard, number });
