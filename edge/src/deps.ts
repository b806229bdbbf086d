import type { Client } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import type { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import type { QueueService } from "#gen/ticketing/queue/v1/queue_pb.js";
import type { SearchService } from "#gen/ticketing/search/v1/search_pb.js";
import { ConcurrencyLimit, type Logger } from "#platform";
import { AvailabilityHub } from "./availability/availability-hub.ts";
import { eventLoader } from "./availability/load-event.ts";
import { SeatGuard } from "./booking/seat-guard.ts";
import { SeatChannel } from "./cache/seat-channel.ts";
import type { EdgeConfig } from "./config.ts";
import { EdgeMetrics } from "./http/metrics.ts";
import type { TokenService } from "./identity/tokens.ts";
import type { UserDirectory } from "./identity/users.ts";
import { AdmissionCheck } from "./queue/admission-check.ts";
import { QueuePlaces } from "./queue/queue-places.ts";
import { RoomSnapshots } from "./queue/room-snapshots.ts";
import { SearchLoader } from "./search/search-loader.ts";
import { ViewLoader } from "./view/view-loader.ts";

/** The edge's connections and settings: what its caches and loaders are built from. */
export interface EdgeClients {
  config: EdgeConfig;
  logger: Logger;
  catalog: Client<typeof CatalogService>;
  search: Client<typeof SearchService>;
  inventory: Client<typeof InventoryService>;
  queue: Client<typeof QueueService>;
  redis: Redis;
  tokens: TokenService;
  /** Present only when AUTH_MODE=local. */
  users?: UserDirectory;
}

/**
 * Everything the edge's routes and handlers use, passed in so tests can build the edge directly.
 * The caches are shared by the REST routes and the Connect handlers of the same edge.
 */
export interface EdgeDeps extends EdgeClients {
  /** Event pages, section tickets and listings, micro-cached. */
  views: ViewLoader;
  /** Search answers, micro-cached. */
  searches: SearchLoader;
  /** Refuses seats inventory just refused or another request is after (see booking/seat-guard.ts). */
  seats: SeatGuard;
  /** The process's one subscription to inventory's seat changes. */
  seatChannel: SeatChannel;
  /** Each event's waiting-room counters, polled once per process per event. */
  rooms: RoomSnapshots;
  /** Buyers' places in waiting rooms, computed from their number and the shared counters. */
  places: QueuePlaces;
  /** The admission-token check on holds and bookings. */
  admission: AdmissionCheck;
  /** Live seat maps: one feed per event with open streams. */
  availability: AvailabilityHub;
  /** This process's Prometheus metrics. */
  metrics: EdgeMetrics;
}

/** Builds the caches and loaders over `clients`: once in `main.ts`, and in tests for an extra edge. */
export function edgeDeps(clients: EdgeClients): EdgeDeps {
  const seatChannel = new SeatChannel(clients.redis, clients.config.REDIS_KEY_PREFIX);
  const availability = availabilityHub(clients, seatChannel);
  return {
    ...clients,
    views: new ViewLoader(clients),
    searches: new SearchLoader(clients),
    seats: new SeatGuard(clients.config.EDGE_SEAT_REFUSAL_MS),
    seatChannel,
    ...queueDeps(clients),
    availability,
    metrics: new EdgeMetrics(() => availability.size.streams),
  };
}

function availabilityHub(clients: EdgeClients, channel: SeatChannel) {
  const { config } = clients;
  return new AvailabilityHub({
    channel,
    load: eventLoader(clients),
    logger: clients.logger,
    settings: {
      coalesceMs: config.EDGE_STREAM_COALESCE_MS,
      ringSize: config.EDGE_STREAM_RESUME_BATCHES,
      heartbeatMs: config.EDGE_STREAM_HEARTBEAT_MS,
      minReloadIntervalMs: 1000,
    },
  });
}

function queueDeps(clients: EdgeClients) {
  const rooms = new RoomSnapshots(clients.queue, clients.config.EDGE_QUEUE_POLL_MS, clients.logger);
  return {
    rooms,
    places: new QueuePlaces(
      clients.queue,
      rooms,
      new ConcurrencyLimit(clients.config.EDGE_QUEUE_MAX_IN_FLIGHT),
    ),
    admission: new AdmissionCheck(rooms, clients.config.ADMISSION_PUBLIC_KEYS),
  };
}
