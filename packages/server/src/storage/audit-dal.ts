import type { Selectable } from 'kysely';
import type { AuditEventsTable } from './database-types.js';
import { deepFreeze } from './deep-freeze.js';
import { guard } from './driver-errors.js';
import { fromJson, toJson } from './row-values.js';
import type { Executor } from './transaction.js';

/**
 * One audit event as stored: the chain link the core computed (`AuditRecord` in the core),
 * column for column. `v` is read back as stored; the core's verifier checks it.
 */
export interface AuditEventRecord {
  readonly seq: number;
  readonly v: number;
  readonly at: number;
  readonly type: string;
  readonly actor: string;
  readonly subject: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

/** The newest link of the chain, which the next event must follow (the core's `AuditHead`). */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

// Well under SQLite's bound-parameter limit (9 columns per row).
const INSERT_CHUNK = 500;

/**
 * Appends events, in order, in the caller's transaction (the state change they record
 * commits with them or not at all). A `seq` or `hash` already present is a
 * `ConflictError` (`audit_events_pkey`): another writer appended first; rebuild from the new head.
 * Storage does not re-check the chain: the core builds it and `audit verify` checks it.
 */
export async function appendAuditEvents(records: readonly AuditEventRecord[], db: Executor): Promise<void> {
  await guard('append audit events', async () => {
    for (let start = 0; start < records.length; start += INSERT_CHUNK) {
      const chunk = records.slice(start, start + INSERT_CHUNK);
      await db
        .insertInto('audit_events')
        .values(
          chunk.map((record) => ({
            seq: record.seq,
            v: record.v,
            at: record.at,
            type: record.type,
            actor: record.actor,
            subject: record.subject,
            data: toJson(record.data),
            prev_hash: record.prevHash,
            hash: record.hash,
          })),
        )
        .execute();
    }
  });
}

/** The last event's sequence number and hash; undefined while the log is empty. */
export async function getAuditHead(db: Executor): Promise<AuditHead | undefined> {
  return guard('read the audit head', async () => {
    const row = await db
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : Object.freeze({ seq: row.seq, hash: row.hash });
  });
}

/**
 * Every event from `fromSeq` (inclusive) on, in order, read `batchSize` rows at a time so
 * a long log streams in constant memory (each batch is its own query: events appended
 * while streaming are included, none are skipped).
 * @example for await (const event of streamAuditEvents(1, 1000, db)) verifier.push(event);
 */
export async function* streamAuditEvents(
  fromSeq: number,
  batchSize: number,
  db: Executor,
): AsyncGenerator<AuditEventRecord, void, undefined> {
  const size = Number.isFinite(batchSize) ? Math.max(1, Math.trunc(batchSize)) : 1_000;
  let next = fromSeq;
  for (;;) {
    const rows = await guard('read audit events', () =>
      db.selectFrom('audit_events').selectAll().where('seq', '>=', next).orderBy('seq').limit(size).execute(),
    );
    for (const row of rows) yield toAuditEvent(row);
    const last = rows.at(-1);
    if (last === undefined || rows.length < size) return;
    next = last.seq + 1;
  }
}

/** The events about one subject (`request:<id>`), in order. */
export async function listSubjectAuditEvents(
  subject: string,
  db: Executor,
): Promise<readonly AuditEventRecord[]> {
  return guard('read audit events', async () => {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('subject', '=', subject)
      .orderBy('seq')
      .execute();
    return Object.freeze(rows.map(toAuditEvent));
  });
}

function toAuditEvent(row: Selectable<AuditEventsTable>): AuditEventRecord {
  return Object.freeze({
    seq: row.seq,
    v: row.v,
    at: row.at,
    type: row.type,
    actor: row.actor,
    subject: row.subject,
    data: deepFreeze(fromJson<Record<string, unknown>>(row.data)),
    prevHash: row.prev_hash,
    hash: row.hash,
  });
}
