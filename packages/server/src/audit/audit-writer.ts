import { type AuditEventDraft, type AuditRecord, appendAuditRecords } from '@gatehouse/core';
import { nodeSha256 } from '@gatehouse/core/node';
import { sql, type Transaction } from 'kysely';
import { EVENTS_CHANNEL } from '../events/event-channel.js';
import { appendAuditEvents, getAuditHead } from '../storage/audit-dal.js';
import type { GatehouseDatabase } from '../storage/database-types.js';
import { engineOf } from '../storage/storage-engine.js';

/** Any PostgreSQL advisory lock key; this one serialises appends to the audit chain across nodes. */
const AUDIT_CHAIN_LOCK = 0x6761_7465;

/**
 * Append audit events in the caller's transaction, continuing the hash chain from the
 * current head. The state change and its audit records commit together or not at all
 * (fail closed): if this throws, the caller's transaction rolls back.
 *
 * On PostgreSQL several nodes append to one chain, so the head is read under a
 * transaction-scoped advisory lock; SQLite transactions begin IMMEDIATE and are serial. Every
 * append on PostgreSQL also notifies the events channel in the same transaction, so every node
 * learns of every committed record (a policy applied, a key rotated, a group changed) whether
 * or not the caller publishes it.
 *
 * @example await withTransaction(db, async (trx) => { await saveRequest(next, trx); await appendAudit(result.audit, now, trx); });
 */
export async function appendAudit(
  drafts: readonly AuditEventDraft[],
  at: number,
  trx: Transaction<GatehouseDatabase>,
): Promise<readonly AuditRecord[]> {
  if (drafts.length === 0) return [];
  if (engineOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  const head = await getAuditHead(trx);
  const records = appendAuditRecords(head, drafts, at, nodeSha256);
  await appendAuditEvents(records, trx);
  const last = records.at(-1);
  if (engineOf(trx) === 'postgres' && last !== undefined) {
    await sql`select pg_notify(${EVENTS_CHANNEL}, ${String(last.seq)})`.execute(trx);
  }
  return records;
}
