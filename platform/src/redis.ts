import { Redis, type RedisOptions } from "ioredis";

/**
 * A general-purpose Redis client. Commands fail fast while Redis is away instead of queueing
 * for minutes: callers turn the failure into Unavailable, or fall back where that is safe.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 100, 1000),
    // Commands issued in the same tick go out in one write: under load that is many requests'
    // lease and seat-map calls per syscall instead of one each.
    enableAutoPipelining: true,
    ...options,
  });
  // Without a listener ioredis prints every reconnect error; the callers' own errors say enough.
  client.on("error", () => {});
  return client;
}

/** Waits until the client is connected, or throws after `timeoutMs`. */
export async function redisReady(client: Redis, timeoutMs = 3000): Promise<void> {
  if (client.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off("ready", onReady);
    };
    client.on("ready", onReady);
  });
}

/**
 * Clients for Redlock: one per independent master. No offline queue and one retry, so a vote
 * against comes back in milliseconds when a master is down instead of hanging the lock.
 */
export function createLockClients(urls: string[]): Redis[] {
  return urls.map((url) =>
    createRedis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 500,
      retryStrategy: () => 500,
    }),
  );
}
