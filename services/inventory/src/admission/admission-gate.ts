import { type AdmissionVerifier, admissionRequired, type Caller, type SqlPools } from "#platform";

/**
 * The waiting room's check inside inventory: holds and bookings of an event with a waiting room
 * need an admission token for that event and caller (signature and expiry, public keys only), so
 * calling inventory directly does not bypass the queue. Which events need one is read from
 * `inventory.waiting_room` and remembered for `cacheMs` (a change reaches every replica that fast).
 */
export class AdmissionGate {
  private readonly cache = new Map<string, { required: boolean; atMs: number }>();

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
    this.cache.set(eventId, { required: enabled, atMs: this.now() });
  }

  private async required(eventId: string): Promise<boolean> {
    const hit = this.cache.get(eventId);
    if (hit && this.now() - hit.atMs < this.cacheMs) return hit.required;
    const [row] = await this.db.query<{ enabled: boolean }>(
      "inventory.waiting-room",
      "select enabled from inventory.waiting_room where event_id = $1",
      [eventId],
      { primary: true },
    );
    const required = row?.enabled ?? false;
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(eventId, { required, atMs: this.now() });
    return required;
  }
}
