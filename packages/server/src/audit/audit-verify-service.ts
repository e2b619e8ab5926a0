import {
  type AuditCheckpoint,
  type AuditFault,
  type AuditHead,
  type AuditVerification,
  createAuditChainVerifier,
  parseAuditCheckpoint,
  type SignatureVerifier,
} from '@gatehouse/core';
import { nodeSha256 } from '@gatehouse/core/node';
import { listAuditCheckpoints } from '../storage/audit-checkpoints-dal.js';
import { streamAuditEvents } from '../storage/audit-dal.js';
import type { Executor } from '../storage/transaction.js';

/** How to verify the stored log. */
export interface StoredAuditVerifyOptions {
  /**
   * The head as last seen from outside the database (an earlier verify, a copy kept
   * elsewhere): the only way to notice records cut off after the latest checkpoint.
   */
  readonly expectedHead?: AuditHead;
  /** Rows read per query (default 1,000): memory stays constant however long the log. */
  readonly batchSize?: number;
}

type CheckpointReading =
  | { readonly ok: true; readonly checkpoints: readonly AuditCheckpoint[] }
  | { readonly ok: false; readonly verdict: AuditVerification };

/** The stored checkpoints; a row the core cannot read is reported as a bad checkpoint. */
async function readCheckpoints(db: Executor): Promise<CheckpointReading> {
  const checkpoints: AuditCheckpoint[] = [];
  for (const row of await listAuditCheckpoints(db)) {
    try {
      checkpoints.push(parseAuditCheckpoint(row));
    } catch (error) {
      // Reported before any record is read: a checkpoint the core cannot even parse was
      // tampered with, whatever the records say.
      const message = `the checkpoint stored for record ${row.seq} cannot be read: ${(error as Error).message}`;
      const firstBad: AuditFault = {
        seq: row.seq,
        index: Math.max(0, row.seq - 1),
        problem: 'bad-checkpoint-signature',
        message,
      };
      return {
        ok: false,
        verdict: Object.freeze({ ok: false, count: 0, firstBad: Object.freeze(firstBad) }),
      };
    }
  }
  return { ok: true, checkpoints };
}

/**
 * Verifies the stored audit log: streams `audit_events` in batches through the core's chain
 * verifier with every stored checkpoint, and returns the core's verdict, naming the first bad
 * record (edited, deleted, inserted, reordered, truncated, or contradicting a checkpoint).
 *
 * `verifier` checks checkpoint signatures: `loadStoredKeysVerifier(db)` trusts the keys in the
 * same database; a JWKS kept elsewhere (`createEd25519VerifierFromJwks`) does not.
 *
 * @example const verdict = await verifyStoredAudit(db, await loadStoredKeysVerifier(db), { expectedHead });
 */
export async function verifyStoredAudit(
  db: Executor,
  verifier: SignatureVerifier,
  options: StoredAuditVerifyOptions = {},
): Promise<AuditVerification> {
  const reading = await readCheckpoints(db);
  if (!reading.ok) return reading.verdict;
  const chain = createAuditChainVerifier({
    sha256: nodeSha256,
    checkpoints: reading.checkpoints,
    verifier,
    ...(options.expectedHead && { expectedHead: options.expectedHead }),
  });
  for await (const event of streamAuditEvents(1, options.batchSize ?? 1_000, db)) {
    if (!chain.push(event)) break;
  }
  return chain.finish();
}
