// A waiting room on the real services: a database and Redis prefix of their own, catalog,
// inventory and the queue service on free ports, and events with general-admission places.
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { Client } from "@connectrpc/connect";
import { CatalogService, EventStatus, SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { QueueService } from "#gen/ticketing/queue/v1/queue_pb.js";
import { asCaller, type Caller, generateAdmissionKeys } from "#platform";
import { signedClient } from "#platform/testing";
import { startTestEnv, type TestEnv } from "../../../edge/test/stack.ts";
import { loadCatalogConfig } from "../../catalog/src/config.ts";
import { build as buildCatalog } from "../../catalog/src/main.ts";
import { eventRequest, venueRequest } from "../../catalog/test/fixtures.ts";
import { loadInventoryConfig } from "../../inventory/src/config.ts";
import { build as buildInventory } from "../../inventory/src/main.ts";
import { loadQueueConfig } from "../src/config.ts";
import { build as buildQueue } from "../src/main.ts";

export const admin: Caller = { userId: "admin-1", role: "admin" };
export const as = (userId: string) => asCaller({ userId, role: "user" });
/** An admin, with a token the queue may pass on to inventory (as the edge signs it for SetQueueSettings). */
export const asAdmin = asCaller(admin, undefined, ["inventory"]);

export interface RoomOptions {
  places: number;
  maxActiveShoppers?: number;
  admissionsPerMinute?: number;
  shoppingWindowSeconds?: number;
  /** Opening time; default now. */
  opensAtMs?: number;
}

export interface QueueFixture {
  env: TestEnv;
  keys: { signingKey: string; publicKeys: string };
  queueEnv: Record<string, string>;
  catalog: Client<typeof CatalogService>;
  inventory: Client<typeof InventoryService>;
  queue: Client<typeof QueueService>;
  service: Awaited<ReturnType<typeof buildQueue>>;
  /** An event with `places` general-admission tickets and its waiting room set up. */
  room(options: RoomOptions): Promise<{ eventId: string; ticketIds: string[] }>;
  close(): Promise<void>;
}

export async function startQueueFixture(
  label: string,
  env: Record<string, string> = {},
  options: { manualLoop?: boolean } = { manualLoop: true },
): Promise<QueueFixture> {
  const keys = await generateAdmissionKeys();
  const testEnv = await startTestEnv(label, env);
  const { base } = testEnv;
  const catalogService = await buildCatalog(loadCatalogConfig(base));
  const inventoryService = await buildInventory(
    loadInventoryConfig({
      CATALOG_SERVICE_ADDR: catalogService.url,
      ADMISSION_PUBLIC_KEYS: keys.publicKeys,
      ...base,
    }),
  );
  const queueEnv = {
    ...base,
    CATALOG_SERVICE_ADDR: catalogService.url,
    INVENTORY_SERVICE_ADDR: inventoryService.url,
    ADMISSION_SIGNING_KEY: keys.signingKey,
    QUEUE_TICK_MS: "100",
  };
  const service = await buildQueue(loadQueueConfig(queueEnv), options);
  const catalog = signedClient(CatalogService, catalogService.url);
  const inventory = signedClient(InventoryService, inventoryService.url);
  const queue = signedClient(QueueService, service.url);
  return {
    env: testEnv,
    keys,
    queueEnv,
    catalog,
    inventory,
    queue,
    service,
    async room(o) {
      const { venue } = await catalog.createVenue(
        venueRequest({
          sections: [{ name: "Floor", kind: SectionKind.GENERAL_ADMISSION, capacity: o.places }],
        }),
        asAdmin,
      );
      const { event } = await catalog.createEvent(
        eventRequest(venue?.id as string, new Date(Date.now() + 86_400_000), { status: EventStatus.ON_SALE }),
        asAdmin,
      );
      const eventId = event?.id as string;
      await inventory.provisionTickets(
        {
          eventId,
          currency: "USD",
          priceTiers: [{ sectionId: venue?.sections[0]?.id as string, priceCents: 5000n }],
        },
        asAdmin,
      );
      await queue.setQueueSettings(
        {
          eventId,
          settings: {
            enabled: true,
            maxActiveShoppers: o.maxActiveShoppers ?? 1000,
            admissionsPerMinute: o.admissionsPerMinute ?? 600_000,
            shoppingWindowSeconds: o.shoppingWindowSeconds ?? 600,
            opensAt: timestampFromMs(o.opensAtMs ?? Date.now()),
          },
        },
        asAdmin,
      );
      const { tickets } = await inventory.listTickets({ eventId });
      return { eventId, ticketIds: tickets.map((t) => t.id) };
    },
    async close() {
      await service.close();
      await inventoryService.close();
      await catalogService.close();
      await testEnv.redis.clear();
      await testEnv.db.drop();
    },
  };
}
