import { type Client, Code, ConnectError } from "@connectrpc/connect";
import { type CatalogService, SectionKind } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { windowOf } from "../sales/sale-window.ts";
import type { SaleWindows } from "../sales/sale-windows.ts";
import type { NewTicket, TicketRepository } from "../tickets/ticket-repository.ts";

export interface ProvisionRequest {
  eventId: string;
  priceTiers: readonly { sectionId: string; priceCents: number }[];
  currency: string;
}

/**
 * Creates one ticket per seat (seated sections: rows × seats) or place (general admission:
 * capacity) of the event's venue, from the catalog's seat map. Idempotent per event: a ticket
 * is keyed by (event, section, row, seat), so a repeat or a concurrent second call adds nothing.
 */
export class Provisioner {
  constructor(
    private readonly catalog: Client<typeof CatalogService>,
    private readonly tickets: TicketRepository,
    private readonly sales: SaleWindows,
  ) {}

  /** The caller was checked to be an admin; reading the event from the catalog needs no identity. */
  async provision(req: ProvisionRequest): Promise<{ created: number; total: number }> {
    const { event, venue } = await this.catalog.getEvent({ eventId: req.eventId });
    if (!venue) throw new ConnectError(`event ${req.eventId} has no venue`, Code.FailedPrecondition);
    const window = windowOf(event);
    if (!window)
      throw new ConnectError(`event ${req.eventId} has no status or start`, Code.FailedPrecondition);
    const prices = new Map(req.priceTiers.map((t) => [t.sectionId, t.priceCents]));
    const missing = venue.sections.filter((s) => !prices.has(s.id)).map((s) => s.name || s.id);
    if (missing.length > 0) {
      throw new ConnectError(
        `price tiers are missing for sections: ${missing.join(", ")}`,
        Code.InvalidArgument,
      );
    }
    const unknown = req.priceTiers.filter((t) => !venue.sections.some((s) => s.id === t.sectionId));
    if (unknown.length > 0) {
      throw new ConnectError(
        `sections not in the venue's seat map: ${unknown.map((t) => t.sectionId).join(", ")}`,
        Code.InvalidArgument,
      );
    }
    await this.refuseOtherPrices(req, prices);
    const rows: NewTicket[] = [];
    for (const section of venue.sections) {
      const base = { eventId: req.eventId, sectionId: section.id, priceCents: prices.get(section.id) ?? 0 };
      const currency = req.currency;
      if (section.kind === SectionKind.GENERAL_ADMISSION) {
        for (let seat = 1; seat <= section.capacity; seat++)
          rows.push({ ...base, currency, rowLabel: "", seat });
      } else {
        for (const row of section.rows) {
          for (let seat = 1; seat <= row.seatCount; seat++) {
            rows.push({ ...base, currency, rowLabel: row.label, seat });
          }
        }
      }
    }
    const created = await this.tickets.insertMissing(rows);
    // Its sale status and window, copied now; the catalog feed keeps them current from here.
    await this.sales.save(window);
    return { created, total: await this.tickets.countForEvent(req.eventId) };
  }

  /**
   * A repeat with the same prices is a no-op; with other prices it is refused, not silently
   * ignored: tickets may be held or sold at the stored price already, and a buyer's total is what
   * the ticket says when the booking opens, so a price change is not a side effect of provisioning.
   */
  private async refuseOtherPrices(req: ProvisionRequest, asked: Map<string, number>): Promise<void> {
    const stored = await this.tickets.sectionPrices(req.eventId);
    const differ = stored.filter(
      (s) =>
        s.minCents !== asked.get(s.sectionId) || s.maxCents !== s.minCents || s.currency !== req.currency,
    );
    if (differ.length === 0) return;
    const listed = differ.map((s) => `${s.sectionId} at ${s.minCents} ${s.currency}`).join(", ");
    throw new ConnectError(
      `tickets of event ${req.eventId} are already provisioned at other prices (${listed}); provisioning again does not change prices`,
      Code.FailedPrecondition,
    );
  }
}
