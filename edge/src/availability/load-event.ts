import type { EdgeClients } from "../deps.ts";
import type { LoadedEvent } from "./event-feed.ts";

/** A stadium's full ticket list is tens of thousands of rows: more time than a page read gets. */
const listTimeoutMs = 15_000;
const catalogTimeoutMs = 5_000;

/**
 * What a feed starts from: the venue's sections (catalog; NotFound for an unknown event) and
 * every ticket with its live status and the seat-change sequence it reflects (inventory).
 */
export function eventLoader(deps: Pick<EdgeClients, "catalog" | "inventory">) {
  return async (eventId: string): Promise<LoadedEvent> => {
    const [{ venue }, list] = await Promise.all([
      deps.catalog.getEvent({ eventId, omitSeatRows: true }, { timeoutMs: catalogTimeoutMs }),
      deps.inventory.listTickets({ eventId }, { timeoutMs: listTimeoutMs }),
    ]);
    return {
      sectionIds: new Set(venue?.sections.map((s) => s.id) ?? []),
      tickets: list.tickets,
      sequence: list.sequence,
    };
  };
}
