import type { Client } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import type { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { AdmissionVerifier, type Logger, type SqlPools } from "#platform";
import { AdmissionGate } from "./admission/admission-gate.ts";
import { BookingRepository } from "./bookings/booking-repository.ts";
import { type BookingDeps, BookingService } from "./bookings/booking-service.ts";
import { Reconciler } from "./bookings/reconciler.ts";
import type { Clock } from "./clock.ts";
import type { InventoryConfig } from "./config.ts";
import { ExpirySweeper } from "./holds/expiry-sweeper.ts";
import { HeldIndex } from "./holds/held-index.ts";
import { HoldQuota } from "./holds/hold-quota.ts";
import { HoldService } from "./holds/hold-service.ts";
import { createRedlock, LeaseStore } from "./holds/lease-store.ts";
import type { PaymentGateway } from "./payments/payment-gateway.ts";
import { Provisioner } from "./provisioning/provisioner.ts";
import { InventoryRpc } from "./rpc/inventory-rpc.ts";
import { SaleWindowRepository } from "./sales/sale-window-repository.ts";
import { SaleWindows } from "./sales/sale-windows.ts";
import { TicketRepository } from "./tickets/ticket-repository.ts";

export type InventorySettings = Pick<
  InventoryConfig,
  | "REDIS_KEY_PREFIX"
  | "HOLD_SECONDS"
  | "BOOKING_LEASE_MS"
  | "HOLD_EXPIRY_SWEEP_MS"
  | "MAX_TICKETS_PER_ORDER"
  | "MAX_HELD_PER_USER"
  | "PAYMENT_TIMEOUT_MS"
  | "RECONCILE_AFTER_SECONDS"
  | "RECONCILE_GIVE_UP_SECONDS"
  | "RECONCILE_INTERVAL_SECONDS"
  | "ADMISSION_PUBLIC_KEYS"
>;

export interface InventoryDeps {
  /** Every statement of the service: named prepared statements (see db/README.md). */
  db: SqlPools;
  /** General Redis with the key prefix applied by the client (held index, hold records). */
  redis: Redis;
  /** One client per independent Redlock master, without a key prefix (lease keys carry it). */
  lockClients: Redis[];
  catalog: Client<typeof CatalogService>;
  gateway: PaymentGateway;
  clock: Clock;
  logger: Logger;
  settings: InventorySettings;
  onStep?: BookingDeps["onStep"];
}

/** Wires the domain from its dependencies; main.ts and tests both start here. */
export function createInventory(deps: InventoryDeps) {
  const { db, clock, logger, settings } = deps;
  const tickets = new TicketRepository(db);
  const bookings = new BookingRepository(db);
  const redlock = createRedlock(deps.lockClients, logger);
  const leases = new LeaseStore(redlock, settings.REDIS_KEY_PREFIX, logger);
  const index = new HeldIndex(deps.redis, settings.REDIS_KEY_PREFIX);
  const expirySweeper = new ExpirySweeper(
    deps.redis,
    index.changes,
    clock,
    { intervalMs: settings.HOLD_EXPIRY_SWEEP_MS },
    logger,
  );
  const sales = new SaleWindows(new SaleWindowRepository(db), clock, logger);
  // MAX_HELD_PER_USER, by default as many as one order may have.
  const quota = new HoldQuota(deps.redis, settings.MAX_HELD_PER_USER || settings.MAX_TICKETS_PER_ORDER);
  const holds = new HoldService(
    sales,
    tickets,
    leases,
    index,
    quota,
    clock,
    { holdMs: settings.HOLD_SECONDS * 1000, maxTicketsPerOrder: settings.MAX_TICKETS_PER_ORDER },
    logger,
  );
  const booking = new BookingService({
    db,
    sales,
    tickets,
    bookings,
    leases,
    index,
    quota,
    gateway: deps.gateway,
    clock,
    logger,
    settings: {
      bookingLeaseMs: settings.BOOKING_LEASE_MS,
      paymentTimeoutMs: settings.PAYMENT_TIMEOUT_MS,
      maxTicketsPerOrder: settings.MAX_TICKETS_PER_ORDER,
    },
    ...(deps.onStep ? { onStep: deps.onStep } : {}),
  });
  const reconciler = new Reconciler(
    { db, tickets, bookings, gateway: deps.gateway, clock, logger },
    {
      olderThanMs: settings.RECONCILE_AFTER_SECONDS * 1000,
      giveUpAfterMs: settings.RECONCILE_GIVE_UP_SECONDS * 1000,
      intervalMs: settings.RECONCILE_INTERVAL_SECONDS * 1000,
    },
    logger,
  );
  const provisioner = new Provisioner(deps.catalog, tickets, sales);
  const keys = settings.ADMISSION_PUBLIC_KEYS;
  const admission = new AdmissionGate(db, keys ? new AdmissionVerifier(keys) : undefined, 1000);
  const rpc = new InventoryRpc({
    tickets,
    bookings,
    index,
    holds,
    booking,
    provisioner,
    admission,
    clock,
    logger,
  });
  return {
    admission,
    tickets,
    bookings,
    redlock,
    leases,
    index,
    sales,
    expirySweeper,
    holds,
    booking,
    reconciler,
    provisioner,
    rpc,
  };
}

export type Inventory = ReturnType<typeof createInventory>;
