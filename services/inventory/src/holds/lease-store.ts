import { Code, ConnectError } from "@connectrpc/connect";
import { type Logger, within } from "#platform";
import { alreadyHeld, holdLost, seatTaken, type Taken } from "../tickets/seat-errors.ts";
import { ExecutionError, Lock, Redlock, ResourceLockedError } from "./redlock-module.ts";

export type Lease = Lock;

// A lease value names its holder: `<kind>:<id>:<userId>`, readable by anyone who can see the key.
/** The lease value of a hold. */
export const holdLeaseValue = (holdId: string, userId: string) => `hold:${holdId}:${userId}`;
/** The lease value a booking without a hold takes for its duration. */
export const bookLeaseValue = (bookingId: string, userId: string) => `book:${bookingId}:${userId}`;
const holderOf = (value: string) => value.split(":").slice(2).join(":") || null;
/** The hold id of a hold's lease value, else undefined. */
const holdIdOf = (value: string) => (value.startsWith("hold:") ? value.split(":")[1] : undefined);

const lapsed = () =>
  new ConnectError(
    "the seats' lease ran out before it could be confirmed (the service was slow); nothing is held — try again",
    Code.Aborted,
  );

const unavailable = () =>
  new ConnectError(
    "seat holds are unavailable: the lock service (Redis) did not answer, try again shortly",
    Code.Unavailable,
  );

/**
 * Redlock 5 (pinned exactly: 5.0.0-beta.2) has no option for the lock value: acquire() draws it
 * from its private `_random()`. A view of the shared instance whose `_random` returns ours reuses
 * acquire() unchanged (quorum, drift, cleanup of partial locks) without touching shared state.
 * Pinned by test/lease-store.test.ts, checked here at start (createRedlock) and on every lease
 * (acquire), so a library that stops drawing the value this way fails loudly, never silently with
 * random values that no hold could prove.
 */
function withValue(redlock: Redlock, value: string): Redlock {
  return Object.create(redlock, { _random: { value: () => value } }) as Redlock;
}

const valueNotTaken =
  "redlock did not take the lease value it was given: lease-store.ts relies on redlock 5.0.0-beta.2 drawing it from _random()";

/**
 * Redlock leases on `ticket:<id>` over one or more independent Redis masters (quorum). A lease
 * covers all tickets of one request or none: the acquire script checks every key before it sets
 * any. The lease value names the holder, so a hold can be verified and released by value alone.
 */
export class LeaseStore {
  constructor(
    private readonly redlock: Redlock,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {}

  /** Takes leases on all tickets or throws SEAT_TAKEN (someone holds one) / Unavailable (no quorum). */
  async acquire(ticketIds: readonly string[], value: string, ttlMs: number): Promise<Lease> {
    let lease: Lease;
    try {
      lease = await withValue(this.redlock, value).acquire(this.keys(ticketIds), ttlMs, { retryCount: 0 });
    } catch (err) {
      if (await this.contended(err)) throw await this.refusal(ticketIds, value);
      throw unavailable();
    }
    if (lease.value !== value) {
      await this.release(lease);
      throw new Error(valueNotTaken);
    }
    // Redlock answers a lock whose validity already ran out (this process or a master paused
    // mid-request): never answer a lease that anyone may take by now.
    if (lease.expiration <= Date.now()) {
      await this.release(lease);
      throw lapsed();
    }
    return lease;
  }

  /**
   * Proves the holder still owns every lease at a quorum and renews them for `ttlMs`; throws
   * HOLD_LOST when any expired or changed hands.
   */
  async confirm(ticketIds: readonly string[], value: string, ttlMs: number): Promise<Lease> {
    const known = new Lock(this.redlock, this.keys(ticketIds), value, [], Date.now() + ttlMs);
    try {
      const renewed = await this.redlock.extend(known, ttlMs, { retryCount: 0 });
      if (renewed.expiration > Date.now()) return renewed;
    } catch (err) {
      if (await this.contended(err)) {
        throw holdLost();
      }
      throw unavailable();
    }
    throw lapsed(); // renewed, but paused past the renewal: the hold stands, this lease does not
  }

  /**
   * Why a lease was refused: the caller's own hold covers some of the seats (ALREADY_HELD, naming
   * it), or someone else holds one (SEAT_TAKEN, with who holds what for the edge's refusal cache).
   * Read from one master after the refusal, so display-grade: the quorum already decided.
   */
  private async refusal(ticketIds: readonly string[], value: string) {
    const values = await this.leaseValues(ticketIds);
    const caller = holderOf(value);
    const mine = new Set<string>();
    for (const held of Object.values(values)) {
      const holdId = holdIdOf(held);
      if (holdId && holderOf(held) === caller) mine.add(holdId);
    }
    if (mine.size > 0) return alreadyHeld([...mine]);
    const taken: Taken = {};
    for (const [id, held] of Object.entries(values)) taken[id] = holderOf(held);
    return seatTaken("one of these seats is held by someone else", taken);
  }

  /** The lease values of these tickets on one master (one MGET); empty if it does not answer at once. */
  private async leaseValues(ticketIds: readonly string[]): Promise<Record<string, string>> {
    const client = this.redlock.clients.values().next().value;
    if (!client) return {};
    const read = client.mget(...ticketIds.map((id) => `${this.keyPrefix}ticket:${id}`));
    const values = await within(
      read.catch(() => []),
      200,
      () => [] as (string | null)[],
    );
    const held: Record<string, string> = {};
    ticketIds.forEach((id, i) => {
      const value = values[i];
      if (typeof value === "string") held[id] = value;
    });
    return held;
  }

  /** Gives the leases back; a failure only means they run out by TTL, so it is logged, not thrown. */
  async release(lease: Lease): Promise<void> {
    await this.redlock.release(lease, { retryCount: 0 }).catch((err: unknown) => {
      this.logger.warn({ err: (err as Error).message }, "lease release failed; it will expire by TTL");
    });
  }

  /** Releases leases known only by their tickets and value (ReleaseHold). */
  async releaseByValue(ticketIds: readonly string[], value: string): Promise<void> {
    await this.release(new Lock(this.redlock, this.keys(ticketIds), value, [], 0));
  }

  /** Sorted keys: a stable order for every multi-key script, so lock order never differs. */
  keys(ticketIds: readonly string[]): string[] {
    return [...ticketIds].sort().map((id) => `${this.keyPrefix}ticket:${id}`);
  }

  /**
   * True when the quorum failed because leases exist (a real "no"), false when too few masters
   * answered at all — then we must fail closed rather than guess.
   */
  private async contended(err: unknown): Promise<boolean> {
    if (!(err instanceof ExecutionError)) return false;
    const last = err.attempts.at(-1);
    if (!last) return true; // extend() of a lock whose local expiry passed: it is simply gone
    // Votes from live masters arrive in milliseconds; the generous bound only covers a master that
    // accepts connections but never answers, and must not misread event-loop lag under load.
    const stats = await within<Awaited<typeof last> | undefined>(last, 5000, () => undefined);
    if (!stats) return false;
    const down = [...stats.votesAgainst.values()].filter((e) => !(e instanceof ResourceLockedError)).length;
    return stats.membershipSize - down >= stats.quorumSize;
  }
}

/** A Redlock over the given masters, set up to answer at once instead of retrying a taken seat. */
export function createRedlock(clients: ConstructorParameters<typeof Redlock>[0], logger: Logger): Redlock {
  const redlock = new Redlock(clients, { retryCount: 0, driftFactor: 0.01 });
  if (typeof (redlock as unknown as { _random?: unknown })._random !== "function")
    throw new Error(valueNotTaken);
  // One event per vote against: a contended seat is normal, a dead master is worth a warning,
  // but at most one every 10 s so an outage does not flood the log.
  let lastWarn = 0;
  redlock.on("error", (err: Error) => {
    if (err instanceof ResourceLockedError || Date.now() - lastWarn < 10_000) return;
    lastWarn = Date.now();
    logger.warn({ err: err.message }, "a redlock master did not answer");
  });
  return redlock;
}
