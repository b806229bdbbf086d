// Card checks that need no provider. Only brand and last four ever leave this module's callers:
// the full number is never stored or logged.
import { BookTicketsRequestSchema } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { fieldViolation } from "#platform";

export interface Card {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  name: string;
}

/** Digits only: customers type spaces and dashes. */
export const cardDigits = (number: string): string => number.replace(/[\s-]/g, "");

export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function cardBrand(digits: string): string {
  if (/^4/.test(digits)) return "visa";
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) return "mastercard";
  if (/^3[47]/.test(digits)) return "amex";
  if (/^(6011|65|64[4-9])/.test(digits)) return "discover";
  return "unknown";
}

/** A card is valid through the last day of its expiry month. */
export function expired(card: Pick<Card, "expMonth" | "expYear">, now: Date): boolean {
  const endOfMonth = Date.UTC(card.expYear, card.expMonth, 1);
  return now.getTime() >= endOfMonth;
}

/** A refusal of a BookTicketsRequest.payment field, as a typed violation the edge renames for REST. */
const paymentViolation = (field: string, message: string, ruleId: string) =>
  fieldViolation(BookTicketsRequestSchema, `payment.${field}`, message, ruleId);

/**
 * Refuses a card no provider could charge — mistyped (its check digit is wrong) or expired —
 * before anything is leased, opened or authorized, naming the field as a Connect caller names it.
 */
export function checkCard(card: Card, now: Date): void {
  const digits = cardDigits(card.number);
  if (!/^\d{12,19}$/.test(digits)) {
    throw paymentViolation("card_number", "must be 12 to 19 digits", "card.digits");
  }
  if (!luhnValid(digits)) {
    throw paymentViolation(
      "card_number",
      "the card number is mistyped (its check digit does not match)",
      "card.check_digit",
    );
  }
  if (expired(card, now)) {
    const month = String(card.expMonth).padStart(2, "0");
    throw paymentViolation(
      "exp_year",
      `the card expired at the end of ${month}/${card.expYear}`,
      "card.expired",
    );
  }
}

/** What may be kept about a card. */
export function describeCard(number: string): { brand: string; last4: string } {
  const digits = cardDigits(number);
  return { brand: cardBrand(digits), last4: digits.slice(-4) };
}
