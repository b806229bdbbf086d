/** Time source, passed in so tests can move time forward (reconciler thresholds, hold expiry). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
