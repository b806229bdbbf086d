import { createHash } from "node:crypto";
import type { Card } from "../payments/card.ts";
import { describeCard } from "../payments/card.ts";

export interface HashedRequest {
  eventId: string;
  ticketIds: readonly string[];
  holdId?: string | undefined;
  card: Card;
}

/**
 * Fingerprint of a booking request for idempotency: same key + same fingerprint = a retry.
 * The card enters only as brand, last four, expiry and name: a hash of a full card number is
 * guessable (few digits are unknown), so it must not be stored either.
 */
export function requestHash(req: HashedRequest): string {
  const { brand, last4 } = describeCard(req.card.number);
  const canonical = JSON.stringify([
    req.eventId,
    [...req.ticketIds].sort(),
    req.holdId ?? "",
    brand,
    last4,
    req.card.expMonth,
    req.card.expYear,
    req.card.name.trim(),
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
