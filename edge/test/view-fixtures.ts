// Helpers for the view tests: an admin Connect client through the edge, and a small catalog
// with tickets provisioned in inventory.

import type { DescService } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { type CatalogService, EventStatus, SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { asCaller } from "#platform";
import { signedClient } from "#platform/testing";
import { login, type TestStack } from "./stack.ts";

/** A Connect client of `service` on the edge's public port, signed in as `email`. */
export async function edgeClient<S extends DescService>(
  service: S,
  stack: TestStack,
  email: string,
): Promise<Client<S>> {
  const token = await login(stack.edgeUrl, email);
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  return createClient(
    service,
    createConnectTransport({ baseUrl: stack.edgeUrl, httpVersion: "1.1", interceptors: [bearer] }),
  );
}

/** Call options naming an admin and a fan, for signedClient calls straight to a service. */
export const admin = asCaller({ userId: "00000000-0000-4000-8000-00000000000a", role: "admin" });
export const fan = asCaller({ userId: "00000000-0000-4000-8000-00000000000f", role: "user" });

export interface SeededEvent {
  eventId: string;
  venueId: string;
  sectionIds: string[];
  performerId: string;
}

/** A venue (seated 2×3 + GA `gaCapacity`), a performer and an event on sale, created through the edge. */
export async function seedEvent(
  catalog: Client<typeof CatalogService>,
  name: string,
  gaCapacity = 3,
): Promise<SeededEvent> {
  const { venue } = await catalog.createVenue({
    name: `${name} Hall`,
    address: "1 Main St",
    city: "Springfield",
    country: "US",
    timezone: "America/Chicago",
    sections: [
      {
        name: "Stalls",
        kind: SectionKind.SEATED,
        rows: [
          { label: "A", seatCount: 3 },
          { label: "B", seatCount: 3 },
        ],
      },
      { name: "Floor", kind: SectionKind.GENERAL_ADMISSION, capacity: gaCapacity },
    ],
  });
  const { performer } = await catalog.createPerformer({ name: `${name} Band`, bio: "Loud.", genre: "rock" });
  const startsAt = new Date(Date.now() + 30 * 86_400_000);
  const { event } = await catalog.createEvent({
    name,
    description: `${name} live`,
    category: "concert",
    startsAt: timestampFromDate(startsAt),
    endsAt: timestampFromDate(new Date(startsAt.getTime() + 3 * 3_600_000)),
    venueId: venue?.id ?? "",
    performerIds: [performer?.id ?? ""],
    status: EventStatus.ON_SALE,
  });
  return {
    eventId: event?.id ?? "",
    venueId: venue?.id ?? "",
    sectionIds: venue?.sections.map((s) => s.id) ?? [],
    performerId: performer?.id ?? "",
  };
}

/** Provisions tickets (seated 5000 cents, GA 2500 cents); false when inventory cannot yet. */
export async function provision(stack: TestStack, seeded: SeededEvent): Promise<boolean> {
  const inventory = signedClient(InventoryService, stack.inventoryUrl);
  try {
    await inventory.provisionTickets(
      {
        eventId: seeded.eventId,
        currency: "USD",
        priceTiers: seeded.sectionIds.map((sectionId, i) => ({
          sectionId,
          priceCents: i === 0 ? 5000n : 2500n,
        })),
      },
      admin,
    );
    return true;
  } catch {
    return false;
  }
}

export const getJson = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { res, status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};
