/**
 * `work`'s outcome, or `late()`'s (a fallback value, or a throw) when `work` has not settled within
 * `ms`. The timer is cleared either way, so a call that finishes in time leaves nothing pending; a
 * `work` that settles after the deadline is ignored (its rejection is handled, never unhandled).
 */
export async function within<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (err) {
        reject(err);
      }
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
