import type { AuditEventDraft } from '@gatehouse/core';
import { appendAudit } from '../audit/audit-writer.js';
import { type Executor, withTransaction } from '../storage/transaction.js';

/** The audit actor for requests nobody could be identified for. */
export const ANONYMOUS_ACTOR = 'anonymous';

/** The audit actor for what the server does by itself (bootstrap). */
export const SYSTEM_ACTOR = 'system';

/** An audit draft; `data` is frozen so a caller cannot change it after the fact. */
export function auditDraft(
  type: string,
  actor: string,
  subject: string,
  data: Record<string, unknown> = {},
): AuditEventDraft {
  return Object.freeze({ type, actor, subject, data: Object.freeze({ ...data }) });
}

/**
 * Records a refusal in a transaction of its own, then lets the caller throw. Refusals change no
 * state, so their record commits alone; the caller must pass the database (not a transaction it
 * is about to roll back) or the record is lost with it.
 */
export async function auditRefusal(draft: AuditEventDraft, now: number, db: Executor): Promise<void> {
  await withTransaction(db, (trx) => appendAudit([draft], now, trx));
}
