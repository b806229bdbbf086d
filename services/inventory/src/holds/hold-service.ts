import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Caller, Logger } from "#platform";
import type { Clock } from "../clock.ts";
import type { SaleWindows } from "../sales/sale-windows.ts";
import { checkRequest, checkRows } from "../tickets/seat-rules.ts";
import type { TicketRepository } from "../tickets/ticket-repository.ts";
import type { HeldIndex, HoldRecord } from "./held-index.ts";
import type { HoldQuota } from "./hold-quota.ts";
import { holdLeaseValue, type LeaseStore } from "./lease-store.ts";

export interface HoldSettings {
  holdMs: number;
  maxTicketsPerOrder: number;
}

/**
 * Holds: all-or-nothing Redlock leases on the tickets of one request for HOLD_SECONDS, made
 * visible on the seat map at once. Nothing is written to PostgreSQL.
 */
export class HoldService {
  constructor(
    private readonly sales: SaleWindows,
    private readonly tickets: TicketRepository,
    private readonly leases: LeaseStore,
    private readonly index: HeldIndex,
    private readonly quota: HoldQuota,
    private readonly clock: Clock,
    private readonly settings: HoldSettings,
    private readonly logger: Logger,
  ) {}

  async hold(caller: Caller, eventId: string, ticketIds: readonly string[]): Promise<HoldRecord> {
    checkRequest(ticketIds, this.settings.maxTicketsPerOrder);
    await this.sales.check(eventId);
    const holdId = randomUUID();
    const counted = { holdId, userId: caller.userId, eventId, ticketIds };
    // The user's quota first (MAX_HELD_PER_USER, atomic in Redis), then the leases: on a contended
    // seat the answer comes from Redis alone, and PostgreSQL is only asked once the seats are ours
    // (if they turn out sold or unknown, the lease and the quota go back).
    const now = this.clock.now().getTime();
    await this.quota.reserve(counted, now + this.settings.holdMs, now).catch((err: unknown) => {
      throw err instanceof ConnectError ? err : unavailable();
    });
    const giveBack = () => this.quota.release(counted).catch(() => undefined); // else it ends with its TTL
    const value = holdLeaseValue(holdId, caller.userId);
    const lease = await this.leases.acquire(ticketIds, value, this.settings.holdMs).catch(async (err) => {
      await giveBack();
      throw err;
    });
    try {
      checkRows(eventId, ticketIds, await this.tickets.find(eventId, ticketIds));
    } catch (err) {
      await Promise.all([this.leases.release(lease), giveBack()]);
      throw err;
    }
    // The lease's own expiry (Redlock's, drift included) is what the buyer is promised.
    const hold: HoldRecord = {
      ...counted,
      ticketIds: [...ticketIds],
      expiresAt: new Date(lease.expiration).toISOString(),
    };
    try {
      await this.index.record(hold);
    } catch (err) {
      // Without its record a hold could not be released or shown: give the leases back, fail closed.
      await Promise.all([this.leases.release(lease), giveBack()]);
      this.logger.error({ err: (err as Error).message, holdId }, "recording a hold failed");
      throw unavailable();
    }
    return hold;
  }

  async release(caller: Caller, holdId: string): Promise<void> {
    const hold = await this.index.find(holdId).catch(() => {
      throw unavailable();
    });
    // Someone else's hold is reported exactly like a missing one: hold ids are not enumerable.
    if (!hold || hold.userId !== caller.userId) {
      throw new ConnectError("no such hold (it may have expired)", Code.NotFound);
    }
    await this.leases.releaseByValue(hold.ticketIds, holdLeaseValue(holdId, caller.userId));
    await this.quota.release(hold).catch(() => undefined); // else it ends with the hold's TTL
    await this.index.forget(hold).catch((err: unknown) => {
      this.logger.warn(
        { err: (err as Error).message, holdId },
        "hold index cleanup failed; it expires by TTL",
      );
    });
  }
}

const unavailable = () =>
  new ConnectError("seat holds are unavailable: Redis did not answer, try again shortly", Code.Unavailable);
