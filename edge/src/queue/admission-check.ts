// The edge's admission-token check on holds and bookings of waiting-room events: a missing,
// expired, another user's or another event's token is a 403 admission_required here, before
// inventory is asked (which checks again: the edge is not the only way in).
import type { JSONWebKeySet } from "jose";
import { AdmissionVerifier, type Caller } from "#platform";
import { badRequest } from "../http/errors.ts";
import type { RoomSnapshots } from "./room-snapshots.ts";

export class AdmissionCheck {
  private readonly verifier: AdmissionVerifier | undefined;

  constructor(
    private readonly rooms: RoomSnapshots,
    publicKeys: JSONWebKeySet | undefined,
  ) {
    this.verifier = publicKeys ? new AdmissionVerifier(publicKeys) : undefined;
  }

  async check(eventId: string, caller: Caller, token: string | undefined): Promise<void> {
    if (!this.verifier) return;
    let enabled: boolean;
    try {
      enabled = (await this.rooms.get(eventId)).enabled;
    } catch {
      // The queue cannot say (down, or no such event): inventory decides from its own record.
      return;
    }
    if (enabled) await this.verifier.verify(token || undefined, eventId, caller.userId);
  }

  /**
   * For a booking: as `check`, except that a request with an Idempotency-Key may be the retry of
   * a booking made while the buyer was admitted, whose token has since expired. Only inventory
   * knows, so such a request resolves to false: send it to inventory as it is (no seat shortcut),
   * which answers the retry or refuses it with the same admission error.
   */
  async checkBooking(
    eventId: string,
    caller: Caller,
    token: string | undefined,
    idempotencyKey: string,
  ): Promise<boolean> {
    return this.check(eventId, caller, token).then(
      () => true,
      (err: unknown) => {
        if (!idempotencyKey) throw err;
        return false;
      },
    );
  }
}

/** The REST `Admission-Token` header (the Connect API carries it in the request's admission_token). */
export function admissionTokenOf(header: string | string[] | undefined): string {
  if (Array.isArray(header)) throw badRequest("Admission-Token: must be given once");
  const token = (header ?? "").trim();
  if (token.length > 4096) throw badRequest("Admission-Token: longer than 4096 characters");
  return token;
}
