// Test fixtures: a migrated search schema in a database of its own, documents and a fake feed.
import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type pg from "pg";
import {
  type SearchEventsRequest,
  SearchEventsRequestSchema,
  type SearchSort,
} from "#gen/ticketing/search/v1/search_pb.js";
import { createLogger, createOrm, migrate } from "#platform";
import { createTestDatabase, type TestDatabase } from "#platform/testing";
import type { ChangeFeed, ExportPage, FeedChange, IndexDocument } from "../src/change-feed.ts";
import { searchDb } from "../src/db.ts";
import { createSearchPool } from "../src/db-pool.ts";

export const silentLogger = createLogger("search-test", "silent");

export interface SearchTestDb {
  db: TestDatabase;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export async function createSearchTestDb(label: string): Promise<SearchTestDb> {
  const db = await createTestDatabase(label);
  const orm = await createOrm({ url: db.url, ...searchDb, poolMax: 1 });
  try {
    await migrate(orm, searchDb.schema);
  } finally {
    await orm.close();
  }
  const pool = createSearchPool(db.url, 5);
  return {
    db,
    pool,
    async drop() {
      await pool.end();
      await db.drop();
    },
  };
}

/** A document with sensible defaults; the id is random unless given. */
export function doc(fields: Partial<IndexDocument> & { name: string }): IndexDocument {
  return {
    id: randomUUID(),
    description: "",
    category: "concert",
    status: "ON_SALE",
    startsAt: new Date("2027-06-01T19:00:00Z"),
    venueName: "Test Arena",
    city: "Springfield",
    country: "US",
    timezone: "America/Chicago",
    performerNames: [],
    ...fields,
  };
}

export interface RequestFields {
  keyword?: string;
  start?: Date;
  end?: Date;
  city?: string;
  category?: string;
  sort?: SearchSort;
  page?: number;
  pageSize?: number;
  includeCancelled?: boolean;
}

export function request(fields: RequestFields = {}): SearchEventsRequest {
  const { start, end, ...rest } = fields;
  return create(SearchEventsRequestSchema, {
    ...rest,
    ...(start ? { start: timestampFromDate(start) } : {}),
    ...(end ? { end: timestampFromDate(end) } : {}),
  });
}

/** A change feed held in memory: tests append changes and set what the export returns. */
export class MemoryFeed implements ChangeFeed {
  changes: FeedChange[] = [];
  documents: IndexDocument[] = [];
  private sequence = 0n;
  private readonly listeners = new Set<() => void>();
  /** Called before each export page is served (to change things mid-export). */
  beforeExportPage?: (after: string) => Promise<void> | void;

  /** Records a change as the catalog would: the document (or null) at the next sequence. */
  push(eventId: string, document: IndexDocument | null): FeedChange {
    this.sequence += 1n;
    const change = { sequence: this.sequence, eventId, document };
    this.changes.push(change);
    this.documents = this.documents.filter((d) => d.id !== eventId);
    if (document) this.documents.push(document);
    for (const wake of this.listeners) wake();
    return change;
  }

  async listChanges(afterSequence: bigint, limit: number): Promise<FeedChange[]> {
    return this.changes.filter((c) => c.sequence > afterSequence).slice(0, limit);
  }

  async exportEvents(afterEventId: string, limit: number): Promise<ExportPage> {
    await this.beforeExportPage?.(afterEventId);
    const sequence = this.sequence;
    const documents = [...this.documents]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .filter((d) => d.id > afterEventId)
      .slice(0, limit);
    return { documents, sequence };
  }

  async onChanges(wake: () => void): Promise<() => Promise<void>> {
    this.listeners.add(wake);
    return async () => {
      this.listeners.delete(wake);
    };
  }
}
