import { randomUUID } from "node:crypto";
import type { Clock } from "../../clock.ts";
import { cardDigits, describeCard, expired, luhnValid } from "../card.ts";
import {
  type Authorization,
  type AuthorizeRequest,
  type OpenAuthorization,
  PaymentDeclinedError,
  type PaymentGateway,
  type PaymentState,
  PaymentStateError,
  PaymentUnavailableError,
} from "../payment-gateway.ts";
import { type SandboxPaymentRow, type SandboxStore, stateAt } from "./sandbox-store.ts";

/** Test card numbers of the sandbox (documented in services/inventory/README.md). */
export const sandboxCards = {
  success: "4242424242424242",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
  /** The provider never answers: the caller's timeout fires. */
  timeout: "4000000000000119",
} as const;

export interface SandboxOptions {
  /** The provider's clock: authorizations and their expiry are stamped with it. */
  clock: Clock;
  /** How long an authorization may wait for its capture (real card networks: about 7 days). */
  authorizationTtlMs: number;
  /** How long the timeout card hangs before failing on its own. */
  hangMs?: number;
}

/**
 * The sandbox payment provider (PAYMENT_PROVIDER=sandbox) for local runs and tests. It behaves as
 * a remote provider would: durable records in its own schema (`SandboxStore`), idempotent per
 * merchant key, authorizations that expire, test cards that decline or hang. It keeps no card
 * data: only the brand and last four it returns.
 */
export class SandboxGateway implements PaymentGateway {
  readonly name = "sandbox";

  constructor(
    private readonly store: SandboxStore,
    private readonly options: SandboxOptions,
  ) {}

  async authorize(request: AuthorizeRequest, signal?: AbortSignal): Promise<Authorization> {
    const digits = cardDigits(request.card.number);
    const card = describeCard(digits);
    // Card checks first: they never store anything, so a retry reaches the same verdict; the
    // insert then answers the authorization already made with this key, if any.
    const now = this.options.clock.now();
    if (!luhnValid(digits)) throw new PaymentDeclinedError("invalid_number", "the card number is not valid");
    if (expired(request.card, now)) throw new PaymentDeclinedError("expired_card", "the card has expired");
    if (digits === sandboxCards.declined)
      throw new PaymentDeclinedError("card_declined", "the card was declined");
    if (digits === sandboxCards.insufficientFunds) {
      throw new PaymentDeclinedError("insufficient_funds", "the card has insufficient funds");
    }
    if (digits === sandboxCards.timeout) await this.hang(signal);
    const stored = await this.call(() =>
      this.store.authorize({
        ref: `sbx_${randomUUID()}`,
        idempotencyKey: request.idempotencyKey,
        amountCents: request.amountCents,
        currency: request.currency,
        ...card,
        state: "AUTHORIZED",
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.options.authorizationTtlMs),
      }),
    );
    return { ref: stored.ref, brand: stored.brand, last4: stored.last4 };
  }

  async capture(ref: string): Promise<void> {
    await this.move(ref, "AUTHORIZED", "CAPTURED");
  }

  /** An expired authorization is voided too: its funds are released either way. */
  async void(ref: string): Promise<void> {
    await this.move(ref, "AUTHORIZED", "VOIDED", true);
  }

  async refund(ref: string): Promise<void> {
    await this.move(ref, "CAPTURED", "REFUNDED", true);
  }

  async findAuthorization(idempotencyKey: string): Promise<string | undefined> {
    return (await this.call(() => this.store.findByKey(idempotencyKey)))?.ref;
  }

  listUncaptured(createdBefore: Date, limit: number): Promise<OpenAuthorization[]> {
    return this.call(() => this.store.listOpen(createdBefore, this.options.clock.now(), limit));
  }

  /** Test and benchmark view: every payment with its state as of now. */
  async payments(): Promise<(Omit<SandboxPaymentRow, "state"> & { key: string; state: PaymentState })[]> {
    const now = this.options.clock.now();
    const rows = await this.store.all();
    return rows.map((r) => ({ ...r, key: r.idempotencyKey, state: stateAt(r, now) }));
  }

  /** Idempotent: a payment already in `to` is fine; any other state refuses for good. */
  private async move(
    ref: string,
    from: SandboxPaymentRow["state"],
    to: SandboxPaymentRow["state"],
    evenExpired = false,
  ): Promise<void> {
    const now = this.options.clock.now();
    const result = await this.call(() => this.store.transition(ref, from, to, now, evenExpired));
    if (!result) throw new PaymentStateError("VOIDED", `unknown payment ${ref}`);
    if (result.changed || result.before.state === to) return;
    const state = stateAt(result.before, now);
    throw new PaymentStateError(state, `cannot move a ${state} payment to ${to}`);
  }

  /** The store's own failures are what a merchant sees of a provider that is away. */
  private async call<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      throw new PaymentUnavailableError(`the payment provider did not answer: ${(err as Error).message}`);
    }
  }

  private hang(signal?: AbortSignal): Promise<never> {
    return new Promise((_, reject) => {
      const fail = () => {
        clearTimeout(timer);
        reject(new PaymentUnavailableError("the payment provider did not answer"));
      };
      const timer = setTimeout(fail, this.options.hangMs ?? 60_000);
      timer.unref();
      signal?.addEventListener("abort", fail, { once: true });
    });
  }
}
