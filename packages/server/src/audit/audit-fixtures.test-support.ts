import type { AuditEventDraft, AuditRecord } from '@gatehouse/core';
import { sql } from 'kysely';
import type { TestStorage } from '../storage/storage-test-engines.test-support.js';
import { type Executor, withTransaction } from '../storage/transaction.js';
import { appendAudit } from './audit-writer.js';

// Builders for the audit suite (imported by *.test.ts only).

/** Appends `count` audit events stamped `at`, the way services do. */
export async function appendEvents(
  storage: TestStorage,
  count: number,
  at: number,
): Promise<readonly AuditRecord[]> {
  const drafts: AuditEventDraft[] = Array.from({ length: count }, (_, i) => ({
    type: i % 2 === 0 ? 'request.created' : 'review.recorded',
    actor: 'agent:ci-bot',
    subject: `request:r${i % 3}`,
    data: { n: i, note: 'ünïcode ✓', nested: { list: [1, 'two', null], ratio: 0.5 } },
  }));
  return withTransaction(storage.db, (trx) => appendAudit(drafts, at, trx));
}

/**
 * Acts as an attacker with database access: drops what makes `audit_events` append-only
 * (the triggers of migration 2026_11_24_0003_audit, and the checkpoints' foreign key), so
 * rows can be edited and deleted. Only verification can notice what follows.
 */
export async function breakAppendOnlyGuards(storage: TestStorage): Promise<void> {
  if (storage.engine === 'sqlite') {
    await sql`drop trigger audit_events_no_update`.execute(storage.db);
    await sql`drop trigger audit_events_no_delete`.execute(storage.db);
    await sql`pragma foreign_keys = off`.execute(storage.db);
    return;
  }
  await sql`drop trigger audit_events_no_update on audit_events`.execute(storage.db);
  await sql`drop trigger audit_events_no_delete on audit_events`.execute(storage.db);
  await sql`drop trigger audit_events_no_delete_truncate on audit_events`.execute(storage.db);
  await sql`alter table audit_checkpoints drop constraint audit_checkpoints_event_fkey`.execute(storage.db);
}

/**
 * Resolves once another PostgreSQL session is blocked by the transaction `trx` (polling the
 * catalogue, no sleeps): only then is "another node is writing at the same time" true.
 */
export async function untilBlockedBy(trx: Executor, storage: TestStorage): Promise<void> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
  const holder = rows[0]?.pid;
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const blocked = await sql<{ waiting: number }>`select count(*)::int as waiting from pg_locks
      where not granted and ${holder}::int = any(pg_blocking_pids(pid))`.execute(storage.db);
    if ((blocked.rows[0]?.waiting ?? 0) > 0) return;
  }
  throw new Error('no session ever waited for the writing node');
}
