// How long the waiting room waits before it joins again and reopens its stream after the stream
// dropped or the service was busy: the page's only repeated request (while the stream is up it
// just listens). A fixed short retry would bring back every waiter an edge restart dropped at the
// same instant, again and again while the service is struggling, and re-join faster than the
// per-user join limit allows. So the wait grows with how long the buyer has to wait anyway (a
// reconnect costs a buyer near the front little and one far back nothing), doubles while
// attempts keep failing, is capped so an admission is never missed for long, and is spread
// at random so a crowd does not come back in step.

/** Shortest wait before jitter, also when the estimate is unknown. */
export const minReconnectMs = 2_000;
/** Longest wait before jitter: an admitted buyer loses at most this much of their shopping time. */
export const maxReconnectMs = 30_000;
/** The share of the estimated wait a reconnect may take. */
const shareOfWait = 0.05;

/**
 * `estimatedWaitSeconds`: the last estimate the page had (undefined before any); `failures`: the
 * attempts that failed in a row, this one included (1 the first time). Between half and all of
 * the computed wait, by `random` (0–1).
 */
export function reconnectDelayMs(
  estimatedWaitSeconds: number | undefined,
  failures: number,
  random: () => number = Math.random,
): number {
  const base = Math.max(minReconnectMs, (estimatedWaitSeconds ?? 0) * 1000 * shareOfWait);
  const backedOff = Math.min(maxReconnectMs, base * 2 ** Math.max(0, failures - 1));
  return Math.round(backedOff * (0.5 + random() / 2));
}
