// Card checks that need no provider. Only brand and last four ever leave this module's callers:
// the full number is never stored or logged. Dependency-free: the storefront runs the same checks
// (web/src/checkout/card-checks.ts); the refusal inventory answers is in card-check.ts.

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

/** What may be kept about a card. */
export function describeCard(number: string): { brand: string; last4: string } {
  const digits = cardDigits(number);
  return { brand: cardBrand(digits), last4: digits.slice(-4) };
}
