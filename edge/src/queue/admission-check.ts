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
}

/** The REST `Admission-Token` header (the Connect API carries it in the request's admission_token). */
export function admissionTokenOf(header: string | string[] | undefined): string {
  if (Array.isArray(header)) throw badRequest("Admission-Token: must be given once");
  const token = (header ?? "").trim();
  if (token.length > 4096) throw badRequest("Admission-Token: longer than 4096 characters");
  return token;
}
