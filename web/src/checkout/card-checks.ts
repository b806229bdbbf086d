// What the payment form can tell before anything is sent: brand, check digits, expiry, CVC. The
// rules are inventory's own (services/inventory/src/payments/card.ts, a dependency-free module),
// so the form and the server never disagree about a card.
import { cardBrand, cardDigits, expired, luhnValid } from "../../../services/inventory/src/payments/card.ts";

export interface CardInput {
  number: string;
  expiry: string;
  cvc: string;
  name: string;
}

export type CardErrors = Partial<Record<keyof CardInput, string>>;

const brandNames: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
};

/** Feedback while typing the number: brand, and whether the check digits add up. */
export function numberFeedback(number: string): { brand?: string; valid: boolean; text: string } {
  const digits = cardDigits(number);
  if (digits.length === 0) return { valid: false, text: "" };
  const brand = brandNames[cardBrand(digits)];
  const valid = luhnValid(digits);
  if (digits.length < 12) return { brand, valid: false, text: brand ?? "" };
  return {
    brand,
    valid,
    text: valid
      ? `${brand ?? "Card"} number looks right`
      : `${brand ? `${brand}: ` : ""}this card number is not valid, check the digits`,
  };
}

/** "MM/YY" or "MM/YYYY" → month and four-digit year. */
export function parseExpiry(expiry: string): { month: number; year: number } | undefined {
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(expiry);
  if (!m) return undefined;
  const month = Number(m[1]);
  const year = m[2]?.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  return month >= 1 && month <= 12 ? { month, year } : undefined;
}

export function checkCard(card: CardInput, now = new Date()): CardErrors {
  const errors: CardErrors = {};
  const digits = cardDigits(card.number);
  if (!/^\d{12,19}$/.test(digits)) errors.number = "Enter the 12 to 19 digits of the card number.";
  else if (!luhnValid(digits)) errors.number = "This card number is not valid; check the digits.";
  const exp = parseExpiry(card.expiry);
  if (!exp) errors.expiry = "Enter the expiry as MM/YY.";
  else if (expired({ expMonth: exp.month, expYear: exp.year }, now)) errors.expiry = "This card has expired.";
  if (!/^\d{3,4}$/.test(card.cvc.trim())) errors.cvc = "Enter the 3 or 4 digit security code.";
  if (card.name.trim().length === 0) errors.name = "Enter the name printed on the card.";
  return errors;
}
