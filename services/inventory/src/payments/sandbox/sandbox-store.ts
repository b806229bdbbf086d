// The sandbox provider's durable records (schema payments_sandbox), over a connection pool of its
// own: the provider is a separate party, so it shares no pool, statement or transaction with the
// merchant. Every transition is one conditional statement, so concurrent or repeated calls are safe.
import type pg from "pg";
import { Batcher, createPool } from "#platform";
import type { OpenAuthorization, PaymentState } from "../payment-gateway.ts";

export interface SandboxPaymentRow {
  ref: string;
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  brand: string;
  last4: string;
  /** As stored; an AUTHORIZED row past `expiresAt` reads as EXPIRED through `state()`. */
  state: Exclude<PaymentState, "EXPIRED">;
  createdAt: Date;
  expiresAt: Date;
}

interface RawPayment {
  ref: string;
  merchant_key: string;
  amount_cents: string;
  currency: string;
  card_brand: string;
  card_last4: string;
  state: SandboxPaymentRow["state"];
  created_at: Date;
  expires_at: Date;
}

const toRow = (r: RawPayment): SandboxPaymentRow => ({
  ref: r.ref,
  idempotencyKey: r.merchant_key,
  amountCents: Number(r.amount_cents),
  currency: r.currency,
  brand: r.card_brand,
  last4: r.card_last4,
  state: r.state,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/** The state a caller sees at `now`: an open authorization past its expiry is EXPIRED. */
export const stateAt = (row: SandboxPaymentRow, now: Date): PaymentState =>
  row.state === "AUTHORIZED" && row.expiresAt.getTime() <= now.getTime() ? "EXPIRED" : row.state;

/**
 * The provider's authorizations, any number in one statement (see SandboxStore.authorize): each
 * is inserted unless its merchant key already has one; returned are the rows inserted and the
 * rows that already existed for the other keys. $1 refs, $2 merchant keys, $3 amounts, $4
 * currencies, $5 brands, $6 last fours, $7 creation times, $8 expiries. Exported with the
 * transition for bench/booking-statements.ts.
 */
export const sandboxAuthorizeSql = `with input as (
       select * from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                            $7::timestamptz[], $8::timestamptz[])
         as i(ref, merchant_key, amount_cents, currency, card_brand, card_last4, created_at, expires_at)
     ), inserted as (
       insert into payments_sandbox.payment (ref, merchant_key, amount_cents, currency, card_brand,
                                             card_last4, state, created_at, expires_at, updated_at)
       select ref, merchant_key, amount_cents, currency, card_brand, card_last4, 'AUTHORIZED',
              created_at, expires_at, created_at
         from input
       on conflict (merchant_key) do nothing returning *
     )
     select * from inserted
     union all select * from payments_sandbox.payment where merchant_key = any($2::text[])`;

/**
 * Capture, void or refund of any number of payments in one statement (see SandboxStore.transition):
 * each row as it was before, and whether this statement moved it. $1 refs, $2 from, $3 to, $4
 * now, $5 even expired.
 */
export const sandboxTransitionSql = `with changed as (
       update payments_sandbox.payment set state = $3, updated_at = $4
        where ref = any($1::text[]) and state = $2 and ($5 or expires_at > $4) returning ref
     )
     select p.*, p.ref in (select ref from changed) as changed
       from payments_sandbox.payment p where p.ref = any($1::text[])`;

type Transition = { before: SandboxPaymentRow; changed: boolean } | undefined;

/**
 * Concurrent calls of one kind share a statement (`Batcher`): while one authorization (or capture)
 * statement runs, the ones that arrive meanwhile wait and go together in the next, each answered
 * from its own row. Every row is still committed durably before its caller hears of it; what
 * changes is how many round trips and commits a busy provider makes — on the booking benchmark
 * the provider's two statements were half of the booking's PostgreSQL round trips. A failed
 * group is retried one by one (both statements are idempotent), so one bad call fails alone.
 */
export class SandboxStore {
  private readonly pool: pg.Pool;
  private readonly authorizations = new Batcher<SandboxPaymentRow, SandboxPaymentRow | undefined>(
    (rows) => this.authorizeAll(rows),
    256,
    { isolateFailures: true, gatherTurn: true },
  );
  private readonly transitions = new Map<string, Batcher<{ ref: string; now: Date }, Transition>>();

  constructor(databaseUrl: string, max = 20) {
    // A busy provider queues its callers; how long to wait is the merchant's call (PAYMENT_TIMEOUT_MS).
    this.pool = createPool(databaseUrl, max, {
      applicationName: "payments-sandbox",
      connectionTimeoutMillis: 60_000,
      // Planned for each call's own keys: a generic plan for `= any($1)` made while the table was
      // small (it assumes ten keys) is a sequential scan, and it stayed one as the table grew —
      // on the booking benchmark a third of the provider's statements scanned every payment.
      settings: { plan_cache_mode: "force_custom_plan" },
    });
  }

  /** Inserts the authorization unless one exists for its key; returns whichever is stored. */
  async authorize(row: SandboxPaymentRow): Promise<SandboxPaymentRow> {
    const stored = await this.authorizations.submit(row);
    if (!stored) throw new Error("sandbox authorization neither inserted nor found");
    return stored;
  }

  /**
   * Moves `ref` from one of `from` to `to` when it is open at `now` (or, with `evenExpired`, also
   * when it expired); returns the row as it was before, or undefined for an unknown ref.
   */
  transition(
    ref: string,
    from: SandboxPaymentRow["state"],
    to: SandboxPaymentRow["state"],
    now: Date,
    evenExpired = false,
  ): Promise<Transition> {
    const kind = `${from}>${to}>${evenExpired}`;
    let group = this.transitions.get(kind);
    if (!group) {
      group = new Batcher((calls) => this.transitionAll(calls, from, to, evenExpired), 256, {
        isolateFailures: true,
        gatherTurn: true,
      });
      this.transitions.set(kind, group);
    }
    return group.submit({ ref, now });
  }

  private async authorizeAll(rows: SandboxPaymentRow[]): Promise<(SandboxPaymentRow | undefined)[]> {
    const stored = await this.query("sandbox.authorize", sandboxAuthorizeSql, [
      rows.map((r) => r.ref),
      rows.map((r) => r.idempotencyKey),
      rows.map((r) => r.amountCents),
      rows.map((r) => r.currency),
      rows.map((r) => r.brand),
      rows.map((r) => r.last4),
      rows.map((r) => r.createdAt),
      rows.map((r) => r.expiresAt),
    ]);
    const byKey = new Map(stored.map((r) => [r.idempotencyKey, r]));
    return rows.map((r) => byKey.get(r.idempotencyKey));
  }

  /** One statement for the group, at the latest of its callers' times. */
  private async transitionAll(
    calls: { ref: string; now: Date }[],
    from: SandboxPaymentRow["state"],
    to: SandboxPaymentRow["state"],
    evenExpired: boolean,
  ): Promise<Transition[]> {
    const now = new Date(Math.max(...calls.map((c) => c.now.getTime())));
    const result = await this.pool.query<RawPayment & { changed: boolean }>({
      name: "sandbox.transition",
      text: sandboxTransitionSql,
      values: [calls.map((c) => c.ref), from, to, now, evenExpired],
    });
    const byRef = new Map(result.rows.map((r) => [r.ref, { before: toRow(r), changed: r.changed }]));
    return calls.map((c) => byRef.get(c.ref));
  }

  async findByKey(idempotencyKey: string): Promise<SandboxPaymentRow | undefined> {
    const rows = await this.query(
      "sandbox.by-key",
      "select * from payments_sandbox.payment where merchant_key = $1",
      [idempotencyKey],
    );
    return rows[0];
  }

  async listOpen(createdBefore: Date, now: Date, limit: number): Promise<OpenAuthorization[]> {
    const rows = await this.query(
      "sandbox.open",
      `select * from payments_sandbox.payment
        where state = 'AUTHORIZED' and created_at < $1 and expires_at > $2
        order by created_at limit $3`,
      [createdBefore, now, limit],
    );
    return rows.map(({ ref, idempotencyKey, amountCents, currency, createdAt, expiresAt }) => ({
      ref,
      idempotencyKey,
      amountCents,
      currency,
      createdAt,
      expiresAt,
    }));
  }

  /** Every record, oldest first: for tests and benchmarks that check nothing is left open. */
  async all(): Promise<SandboxPaymentRow[]> {
    return this.query("sandbox.all", "select * from payments_sandbox.payment order by created_at, ref", []);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query(name: string, text: string, values: unknown[]): Promise<SandboxPaymentRow[]> {
    const result = await this.pool.query<RawPayment>({ name, text, values });
    return result.rows.map(toRow);
  }
}
