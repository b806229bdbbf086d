import type { Caller } from "./identity.ts";

/**
 * Tokens already verified, and the caller each names, until the token would stop passing
 * verification (`validUntilMs`: its `exp`, or for identity tokens also `iat` plus the accepted
 * age, with the clock tolerance). Services use it for the edge's identity tokens (the edge
 * reuses one for most of its life, so a busy service sees the same few on call after call, and
 * checking a signature again for each was a measurable share of its CPU), the edge for buyers'
 * bearer tokens. Keyed by the whole token (signature included), so only the very bytes that
 * passed are answered from here. Bounded: past `max` entries the oldest goes (insertion order; a
 * hit does not reorder, which on the hot-seat benchmark cost 2 % of the edge).
 */
export class VerifiedTokens<T = Caller> {
  private readonly entries = new Map<string, { caller: T; validUntilMs: number }>();

  constructor(private readonly max = 10_000) {}

  /** The caller of a token verified earlier and still valid at `nowMs`, else undefined. */
  get(token: string, nowMs: number): T | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    if (nowMs < hit.validUntilMs) return hit.caller;
    this.entries.delete(token); // verified again: that names why it is refused
    return undefined;
  }

  set(token: string, caller: T, validUntilMs: number): void {
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { caller, validUntilMs });
  }
}
