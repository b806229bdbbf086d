import { type AdmissionVerifier, admissionRequired, type Caller, type SqlPools } from "#platform";

/**
 * The waiting room's check inside inventory: holds and bookings of an event with a waiting room
 * need an admission token for that event and caller (signature and expiry, public keys only), so
 * calling inventory directly does not bypass the queue. Which events need one is read from
 * `inventory.waiting_room` and remembered for `cacheMs` (a change reaches every replica that fast);
 * the calls that find the entry expired share one read (before, each concurrent booking of the
 * event read it again — 4 % of the statements on the booking benchmark).
 */
export class AdmissionGate {
  private readonly cache = new Map<string, { required: Promise<boolean>; atMs: number }>();

  constructor(
    private readonly db: SqlPools,
    private readonly verifier: AdmissionVerifier | undefined,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws admission_required (PermissionDenied) unless the caller may hold or book now. */
  async check(eventId: string, caller: Caller, token: string): Promise<void> {
    if (!(await this.required(eventId))) return;
    if (!this.verifier)
      throw admissionRequired("this event has a waiting room, and admission tokens cannot be checked here");
    await this.verifier.verify(token || undefined, eventId, caller.userId);
  }

  async set(eventId: string, enabled: boolean): Promise<void> {
    await this.db.query(
      "inventory.set-waiting-room",
      `insert into inventory.waiting_room (event_id, enabled, updated_at) values ($1, $2, $3)
       on conflict (event_id) do update set enabled = excluded.enabled, updated_at = excluded.updated_at`,
      [eventId, enabled, new Date(this.now())],
      { primary: true },
    );
    this.cache.set(eventId, { required: Promise.resolve(enabled), atMs: this.now() });
  }

  private required(eventId: string): Promise<boolean> {
    const hit = this.cache.get(eventId);
    if (hit && this.now() - hit.atMs < this.cacheMs) return hit.required;
    const required = this.read(eventId);
    if (this.cache.size > 50_000) this.cache.clear();
    const entry = { required, atMs: this.now() };
    this.cache.set(eventId, entry);
    // A failed read is not remembered: the next call asks again.
    required.catch(() => {
      if (this.cache.get(eventId) === entry) this.cache.delete(eventId);
    });
    return required;
  }

  private async read(eventId: string): Promise<boolean> {
    const [row] = await this.db.query<{ enabled: boolean }>(
      "inventory.waiting-room",
      "select enabled from inventory.waiting_room where event_id = $1",
      [eventId],
      { primary: true },
    );
    return row?.enabled ?? false;
  }
}
