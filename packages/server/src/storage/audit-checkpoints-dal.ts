import { guard } from './driver-errors.js';
import type { Executor } from './transaction.js';

/**
 * A signed statement that the chain's record `seq` has hash `hash`; the same shape as the
 * core's `AuditCheckpoint` (whose `v` the signature covers, so it is stored too).
 */
export interface AuditCheckpointRecord {
  readonly v: number;
  readonly seq: number;
  readonly hash: string;
  readonly at: number;
  readonly keyId: string;
  readonly signature: string;
}

/** Stores a checkpoint. Its `seq` must name a stored event (`IntegrityError` otherwise). */
export async function insertAuditCheckpoint(checkpoint: AuditCheckpointRecord, db: Executor): Promise<void> {
  await guard('store an audit checkpoint', () =>
    db
      .insertInto('audit_checkpoints')
      .values({
        seq: checkpoint.seq,
        v: checkpoint.v,
        hash: checkpoint.hash,
        at: checkpoint.at,
        key_id: checkpoint.keyId,
        signature: checkpoint.signature,
      })
      .execute(),
  );
}

/** The newest checkpoint, if any. */
export async function getLatestAuditCheckpoint(db: Executor): Promise<AuditCheckpointRecord | undefined> {
  return guard('read the latest audit checkpoint', async () => {
    const row = await db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return Object.freeze({
      v: row.v,
      seq: row.seq,
      hash: row.hash,
      at: row.at,
      keyId: row.key_id,
      signature: row.signature,
    });
  });
}

/** Every checkpoint, oldest first (`audit verify` checks each against its record). */
export async function listAuditCheckpoints(db: Executor): Promise<readonly AuditCheckpointRecord[]> {
  return guard('list audit checkpoints', async () => {
    const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute();
    return Object.freeze(
      rows.map((row) =>
        Object.freeze({
          v: row.v,
          seq: row.seq,
          hash: row.hash,
          at: row.at,
          keyId: row.key_id,
          signature: row.signature,
        }),
      ),
    );
  });
}
