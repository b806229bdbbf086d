// The admin RPCs the edge exposes beside the public API (catalog writes, inventory provisioning),
// over the same transport and bearer token. Only the admin chunk loads this.
import { createClient } from "@connectrpc/connect";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { InventoryService } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { QueueService } from "#gen/ticketing/queue/v1/queue_pb.js";
import { transport } from "../api/client.ts";

export const catalogAdmin = createClient(CatalogService, transport);
export const inventoryAdmin = createClient(InventoryService, transport);
export const queueAdmin = createClient(QueueService, transport);

/** What this browser created, since the API has no venue or performer listing yet. */
export interface Known {
  id: string;
  name: string;
}

export function remembered(kind: "venues" | "performers" | "events"): Known[] {
  try {
    return JSON.parse(localStorage.getItem(`ticketing.admin.${kind}`) ?? "[]") as Known[];
  } catch {
    return [];
  }
}

export function remember(kind: "venues" | "performers" | "events", item: Known): Known[] {
  const next = [item, ...remembered(kind).filter((k) => k.id !== item.id)].slice(0, 50);
  localStorage.setItem(`ticketing.admin.${kind}`, JSON.stringify(next));
  return next;
}

/** Row labels A, B, …, Z, AA, AB, … */
export function rowLabel(i: number): string {
  let n = i;
  let label = "";
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}
