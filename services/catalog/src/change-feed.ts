// The transactional outbox: writers append the documents of the events they changed inside their
// own transaction; followers (search) read it in sequence order.
import { create, fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import {
  type Change,
  ChangeSchema,
  type EventDocument,
  EventDocumentSchema,
} from "#gen/ticketing/catalog/v1/catalog_pb.js";
import type { EntityManager } from "#platform";

// Sequences are allocated at insert but become visible at commit. Serializing appenders with a
// transaction-scoped lock makes commit order equal sequence order, so a follower that has seen
// sequence N can never later find a smaller one appear. Admin writes are rare; the lock is cheap.
const outboxLock = 0x6361_7461; // "cata"

/** Appends one change per document; returns the highest sequence written (0n when none). */
export async function appendChanges(em: EntityManager, documents: EventDocument[]): Promise<bigint> {
  if (documents.length === 0) return 0n;
  await em.execute("select pg_advisory_xact_lock(?)", [outboxLock]);
  const rows = documents.map((doc) => ({
    eventId: doc.event?.id,
    payload: toJson(EventDocumentSchema, doc),
  }));
  const inserted = await em.execute<{ sequence: string }[]>(
    `insert into catalog.outbox (event_id, payload)
     select (x->>'eventId')::uuid, x->'payload' from jsonb_array_elements(?::jsonb) with ordinality t(x, n)
     order by n
     returning sequence::text as sequence`,
    [JSON.stringify(rows)],
  );
  return inserted.reduce((max, r) => (BigInt(r.sequence) > max ? BigInt(r.sequence) : max), 0n);
}

export async function readChanges(
  em: EntityManager,
  afterSequence: bigint,
  limit: number,
): Promise<Change[]> {
  const rows = await em.execute<{ sequence: string; event_id: string; payload: JsonValue | null }[]>(
    `select sequence::text as sequence, event_id::text as event_id, payload from catalog.outbox
     where sequence > ? order by sequence limit ?`,
    [afterSequence.toString(), limit],
  );
  return rows.map((r) =>
    create(ChangeSchema, {
      sequence: BigInt(r.sequence),
      eventId: r.event_id,
      document:
        r.payload === null
          ? undefined
          : fromJson(EventDocumentSchema, r.payload, { ignoreUnknownFields: true }),
    }),
  );
}

export async function latestSequence(em: EntityManager): Promise<bigint> {
  const [row] = await em.execute<{ sequence: string }[]>(
    "select coalesce(max(sequence), 0)::text as sequence from catalog.outbox",
  );
  return BigInt(row?.sequence ?? "0");
}
