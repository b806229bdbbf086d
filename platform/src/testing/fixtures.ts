// Test fixtures: every test run gets a PostgreSQL database and a Redis key prefix of its own,
// created here and removed by `drop()`. Nothing outside them is touched.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createRedis } from "../redis.ts";

export const testAdminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const testRedisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const uniqueSuffix = () => `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `test_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${uniqueSuffix()}`;
  const admin = new pg.Client({ connectionString: testAdminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testAdminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testAdminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TestRedisPrefix {
  prefix: string;
  /** Deletes every key under the prefix. */
  clear(): Promise<void>;
}

export function createTestRedisPrefix(label: string): TestRedisPrefix {
  const prefix = `test:${label}:${uniqueSuffix()}:`;
  return {
    prefix,
    async clear() {
      const redis = createRedis(testRedisUrl);
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
          cursor = next;
          if (keys.length > 0) await redis.unlink(...keys);
        } while (cursor !== "0");
      } finally {
        redis.disconnect();
      }
    },
  };
}
