// The card checks of card.ts as inventory answers them: before anything is leased or charged, a
// refusal naming the field, as a typed violation the edge renames for REST callers.
import { BookTicketsRequestSchema } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { fieldViolation } from "#platform";
import { type Card, cardDigits, expired, luhnValid } from "./card.ts";

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
