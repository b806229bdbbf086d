// Waiting-room events created the way an admin does it, through the edge's admin Connect routes
// (catalog, inventory, queue), and small REST helpers for buyers.
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { CatalogService, EventStatus, SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { QueueService } from "#gen/ticketing/queue/v1/queue_pb.js";
import { eventRequest, venueRequest } from "../../services/catalog/test/fixtures.ts";
import type { TestStack } from "./stack.ts";
import { edgeClient } from "./view-fixtures.ts";

export interface RoomSpec {
  places: number;
  maxActiveShoppers?: number;
  admissionsPerMinute?: number;
  shoppingWindowSeconds?: number;
  opensAtMs?: number;
  /** false: an event on sale without a waiting room. */
  enabled?: boolean;
}

/** An event with `places` general-admission tickets on sale, with its waiting room set. */
export async function waitingRoomEvent(
  stack: Pick<TestStack, "edgeUrl">,
  spec: RoomSpec,
): Promise<{ eventId: string; sectionId: string; ticketIds: string[] }> {
  const edge = { edgeUrl: stack.edgeUrl } as TestStack;
  const [catalog, inventory, queue] = await Promise.all([
    edgeClient(CatalogService, edge, "admin@example.com"),
    edgeClient(InventoryService, edge, "admin@example.com"),
    edgeClient(QueueService, edge, "admin@example.com"),
  ]);
  const { venue } = await catalog.createVenue(
    venueRequest({
      sections: [{ name: "Floor", kind: SectionKind.GENERAL_ADMISSION, capacity: spec.places }],
    }),
  );
  const { event } = await catalog.createEvent(
    eventRequest(venue?.id as string, new Date(Date.now() + 86_400_000), { status: EventStatus.ON_SALE }),
  );
  const eventId = event?.id as string;
  await inventory.provisionTickets({
    eventId,
    currency: "USD",
    priceTiers: [{ sectionId: venue?.sections[0]?.id as string, priceCents: 5000n }],
  });
  if (spec.enabled !== false) {
    await queue.setQueueSettings({
      eventId,
      settings: {
        enabled: true,
        maxActiveShoppers: spec.maxActiveShoppers ?? 1000,
        admissionsPerMinute: spec.admissionsPerMinute ?? 600_000,
        shoppingWindowSeconds: spec.shoppingWindowSeconds ?? 600,
        opensAt: timestampFromMs(spec.opensAtMs ?? Date.now()),
      },
    });
  }
  const ticketIds: string[] = [];
  const sectionId = venue?.sections[0]?.id as string;
  const res = await fetch(`${stack.edgeUrl}/events/${eventId}/tickets?section=${sectionId}`);
  const body = (await res.json()) as { tickets: { id: string }[] };
  for (const t of body.tickets) ticketIds.push(t.id);
  return { eventId, sectionId, ticketIds };
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** A JSON request as a signed-in buyer. */
export async function call(
  method: string,
  url: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export const card = {
  cardNumber: "4242 4242 4242 4242",
  expMonth: 12,
  expYear: 2030,
  cvc: "123",
  name: "Fan",
};

/** Polls the caller's place until `done` says so (the queue's loop admits on its own clock). */
export async function waitForPlace(
  edgeUrl: string,
  eventId: string,
  token: string,
  done: (place: Record<string, unknown>) => boolean,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await call("GET", `${edgeUrl}/events/${eventId}/queue`, token);
    if (done(body) || Date.now() > deadline) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}
