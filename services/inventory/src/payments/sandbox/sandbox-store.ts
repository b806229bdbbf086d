// The sandbox provider's durable records (schema payments_sandbox), over a connection pool of its
// own: the provider is a separate party, so it shares no pool, statement or transaction with the
// merchant. Every transition is one conditional statement, so concurrent or repeated calls are safe.
import type pg from "pg";
import { createPool } from "#platform";
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

export class SandboxStore {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, max = 20) {
    // A busy provider queues its callers; how long to wait is the merchant's call (PAYMENT_TIMEOUT_MS).
    this.pool = createPool(databaseUrl, max, {
      applicationName: "payments-sandbox",
      connectionTimeoutMillis: 60_000,
    });
  }

  /** Inserts the authorization unless one exists for its key; returns whichever is stored. */
  async authorize(row: SandboxPaymentRow): Promise<SandboxPaymentRow> {
    const rows = await this.query(
      "sandbox.authorize",
      `with inserted as (
         insert into payments_sandbox.payment (ref, merchant_key, amount_cents, currency, card_brand,
                                               card_last4, state, created_at, expires_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, 'AUTHORIZED', $7, $8, $7)
         on conflict (merchant_key) do nothing returning *
       )
       select * from inserted
       union all select * from payments_sandbox.payment where merchant_key = $2`,
      [
        row.ref,
        row.idempotencyKey,
        row.amountCents,
        row.currency,
        row.brand,
        row.last4,
        row.createdAt,
        row.expiresAt,
      ],
    );
    const stored = rows[0];
    if (!stored) throw new Error("sandbox authorization neither inserted nor found");
    return stored;
  }

  /**
   * Moves `ref` from one of `from` to `to` when it is open at `now` (or, with `evenExpired`, also
   * when it expired); returns the row as it was before, or undefined for an unknown ref.
   */
  async transition(
    ref: string,
    from: SandboxPaymentRow["state"],
    to: SandboxPaymentRow["state"],
    now: Date,
    evenExpired = false,
  ): Promise<{ before: SandboxPaymentRow; changed: boolean } | undefined> {
    const [row] = await this.pool
      .query<RawPayment & { changed: boolean }>({
        name: "sandbox.transition",
        text: `with changed as (
               update payments_sandbox.payment set state = $3, updated_at = $4
                where ref = $1 and state = $2 and ($5 or expires_at > $4) returning ref
             )
             select p.*, exists (select 1 from changed) as changed
               from payments_sandbox.payment p where p.ref = $1`,
        values: [ref, from, to, now, evenExpired],
      })
      .then((r) => r.rows);
    return row && { before: toRow(row), changed: row.changed };
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
