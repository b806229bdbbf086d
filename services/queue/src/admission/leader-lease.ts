import type { Redis } from "ioredis";

// Takes the lease when free, or renews it when this replica holds it; never steals a live one.
const takeOrRenew = `
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
if holder then return 0 end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/**
 * One admission loop per event across replicas: the replica holding `key` advances the room.
 * A leader that dies or stalls loses it after `leaseMs` and another replica takes over; an
 * admission step is atomic in Redis, so even two overlapping leaders could not admit past a limit.
 */
export class LeaderLease {
  constructor(
    private readonly redis: Redis,
    private readonly replicaId: string,
    private readonly leaseMs: number,
  ) {}

  async hold(key: string): Promise<boolean> {
    const got = await this.redis.eval(takeOrRenew, 1, key, this.replicaId, String(this.leaseMs));
    return Number(got) === 1;
  }

  async release(key: string): Promise<void> {
    await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
      1,
      key,
      this.replicaId,
    );
  }
}
