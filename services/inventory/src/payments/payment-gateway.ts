import type { Card } from "./card.ts";

export interface AuthorizeRequest {
  /** One authorization per key: a retried authorize returns the first one, never a second hold on funds. */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  card: Card;
}

export interface Authorization {
  /** The provider's reference, used to capture, void or refund. */
  ref: string;
  brand: string;
  last4: string;
}

export type DeclineCode = "card_declined" | "insufficient_funds" | "expired_card" | "invalid_number";

/** The provider refused the card: nothing is held on it. */
export class PaymentDeclinedError extends Error {
  override name = "PaymentDeclinedError";
  constructor(
    readonly code: DeclineCode,
    message: string,
  ) {
    super(message);
  }
}

/** The provider did not answer (or answered with an error): whether funds are held is unknown. */
export class PaymentUnavailableError extends Error {
  override name = "PaymentUnavailableError";
}

/**
 * The provider answered, and the payment cannot take this step any more: capturing an authorization
 * that expired (its funds were released) or was voided, voiding a captured one. Repeating the call
 * will not change the answer, so whoever gets it must stop retrying and decide (or ask a person).
 */
export class PaymentStateError extends Error {
  override name = "PaymentStateError";
  constructor(
    readonly state: PaymentState,
    message: string,
  ) {
    super(message);
  }
}

/** Where an authorization is in its life; EXPIRED is an AUTHORIZED one past its expiry. */
export type PaymentState = "AUTHORIZED" | "CAPTURED" | "VOIDED" | "REFUNDED" | "EXPIRED";

/** An authorization not yet captured, voided or expired, as the provider lists it. */
export interface OpenAuthorization {
  ref: string;
  /** The merchant's idempotency key given at authorize (inventory uses the booking id). */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * A card payment provider: authorize first, capture after the sale commits, void when it does
 * not, refund after capture. Every call is idempotent, so the reconciler may repeat any of them.
 * An authorization expires if it is not captured in time (capture then throws PaymentStateError).
 */
export interface PaymentGateway {
  readonly name: string;
  authorize(request: AuthorizeRequest, signal?: AbortSignal): Promise<Authorization>;
  capture(ref: string): Promise<void>;
  void(ref: string): Promise<void>;
  refund(ref: string, amountCents?: number): Promise<void>;
  /**
   * The authorization made with this idempotency key, if any. Covers a crash between authorize
   * and recording its reference (real providers answer this from request metadata).
   */
  findAuthorization(idempotencyKey: string): Promise<string | undefined>;
  /**
   * Authorizations made before `createdBefore` that are still open (neither captured, voided nor
   * expired), oldest first: what a merchant that lost track of its own calls must settle.
   */
  listUncaptured(createdBefore: Date, limit: number): Promise<OpenAuthorization[]>;
}
