import { type AuditCheckpoint, createCheckpoint } from '@gatehouse/core';
import { createEd25519Signer } from '@gatehouse/core/node';
import { sql } from 'kysely';
import type { KeyRing } from '../grants/signing-key-service.js';
import { getLatestAuditCheckpoint, insertAuditCheckpoint } from '../storage/audit-checkpoints-dal.js';
import { getAuditHead } from '../storage/audit-dal.js';
import { engineOf } from '../storage/storage-engine.js';
import { type Executor, withTransaction } from '../storage/transaction.js';

/** Any PostgreSQL advisory lock key; this one lets one node at a time write a checkpoint. */
const CHECKPOINT_LOCK = 0x6761_6370;

/**
 * Signs the audit log's current head with the ring's active key and stores the checkpoint.
 * Returns it, or undefined when there is nothing new to sign (empty log, or the head has not
 * moved since the last checkpoint). Writing a checkpoint appends no audit event: that would
 * move the head, and every checkpoint would call for another.
 *
 * @example const checkpoint = await writeAuditCheckpoint(db, keyRing, now);
 */
export async function writeAuditCheckpoint(
  db: Executor,
  keyRing: KeyRing,
  now: number,
): Promise<AuditCheckpoint | undefined> {
  const signer = createEd25519Signer(keyRing.active.privateKey, keyRing.active.kid);
  return withTransaction(db, async (trx) => {
    // Nodes sharing a PostgreSQL would otherwise race to sign the same head (SQLite is serial).
    if (engineOf(trx) === 'postgres')
      await sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK})`.execute(trx);
    const head = await getAuditHead(trx);
    if (head === undefined) return undefined;
    const latest = await getLatestAuditCheckpoint(trx);
    if (latest !== undefined && latest.seq >= head.seq) return undefined;
    const checkpoint = createCheckpoint(head, now, signer);
    await insertAuditCheckpoint(checkpoint, trx);
    return checkpoint;
  });
}
