import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.ts";
import { cardDigits, describeCard, expired, luhnValid } from "./card.ts";
import {
  type Authorization,
  type AuthorizeRequest,
  PaymentDeclinedError,
  type PaymentGateway,
  PaymentUnavailableError,
} from "./payment-gateway.ts";

/** Test card numbers of the sandbox (documented in services/inventory/README.md). */
export const sandboxCards = {
  success: "4242424242424242",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
  /** The provider never answers: the caller's timeout fires. */
  timeout: "4000000000000119",
} as const;

type State = "AUTHORIZED" | "CAPTURED" | "VOIDED" | "REFUNDED";
interface Payment {
  ref: string;
  key: string;
  amountCents: number;
  currency: string;
  state: State;
}

/**
 * In-memory provider for local runs and tests (PAYMENT_PROVIDER=sandbox). It keeps no card data:
 * only the brand and last four it returns. State lives in this process, so it is one replica's
 * sandbox, not a shared one.
 */
export class SandboxGateway implements PaymentGateway {
  readonly name = "sandbox";
  private readonly byRef = new Map<string, Payment>();
  private readonly byKey = new Map<string, Payment>();

  constructor(
    private readonly clock: Clock,
    /** How long the timeout card hangs before failing on its own. */
    private readonly hangMs = 60_000,
  ) {}

  async authorize(request: AuthorizeRequest, signal?: AbortSignal): Promise<Authorization> {
    const digits = cardDigits(request.card.number);
    const card = describeCard(digits);
    const existing = this.byKey.get(request.idempotencyKey);
    if (existing) return { ref: existing.ref, ...card };
    if (!luhnValid(digits)) throw new PaymentDeclinedError("invalid_number", "the card number is not valid");
    if (expired(request.card, this.clock.now())) {
      throw new PaymentDeclinedError("expired_card", "the card has expired");
    }
    if (digits === sandboxCards.declined)
      throw new PaymentDeclinedError("card_declined", "the card was declined");
    if (digits === sandboxCards.insufficientFunds) {
      throw new PaymentDeclinedError("insufficient_funds", "the card has insufficient funds");
    }
    if (digits === sandboxCards.timeout) await this.hang(signal);
    const payment: Payment = {
      ref: `sbx_${randomUUID()}`,
      key: request.idempotencyKey,
      amountCents: request.amountCents,
      currency: request.currency,
      state: "AUTHORIZED",
    };
    this.byRef.set(payment.ref, payment);
    this.byKey.set(payment.key, payment);
    return { ref: payment.ref, ...card };
  }

  async capture(ref: string): Promise<void> {
    const payment = this.get(ref);
    if (payment.state === "CAPTURED") return;
    if (payment.state !== "AUTHORIZED")
      throw new PaymentUnavailableError(`cannot capture a ${payment.state} payment`);
    payment.state = "CAPTURED";
  }

  async void(ref: string): Promise<void> {
    const payment = this.get(ref);
    if (payment.state === "VOIDED") return;
    if (payment.state !== "AUTHORIZED")
      throw new PaymentUnavailableError(`cannot void a ${payment.state} payment`);
    payment.state = "VOIDED";
  }

  async refund(ref: string): Promise<void> {
    const payment = this.get(ref);
    if (payment.state === "REFUNDED") return;
    if (payment.state !== "CAPTURED")
      throw new PaymentUnavailableError(`cannot refund a ${payment.state} payment`);
    payment.state = "REFUNDED";
  }

  async findAuthorization(idempotencyKey: string): Promise<string | undefined> {
    return this.byKey.get(idempotencyKey)?.ref;
  }

  /** Test and benchmark view: the state of every payment, to check nothing is left authorized. */
  payments(): readonly Readonly<Payment>[] {
    return [...this.byRef.values()];
  }

  private get(ref: string): Payment {
    const payment = this.byRef.get(ref);
    if (!payment) throw new PaymentUnavailableError(`unknown payment ${ref}`);
    return payment;
  }

  private hang(signal?: AbortSignal): Promise<never> {
    return new Promise((_, reject) => {
      const fail = () => {
        clearTimeout(timer);
        reject(new PaymentUnavailableError("the payment provider did not answer"));
      };
      const timer = setTimeout(fail, this.hangMs);
      timer.unref();
      signal?.addEventListener("abort", fail, { once: true });
    });
  }
}
