import { UnsupportedVersionError } from '../errors.js';
import type { SignatureVerifier, Signer } from '../ports.js';
import { InvalidAuditDataError } from './audit-errors.js';
import {
  isAuditSeq,
  isEpochMillis,
  isNonEmptyString,
  isPlainRecord,
  isSha256Hex,
  unexpectedKeys,
} from './audit-fields.js';
import { AUDIT_RECORD_VERSION, type AuditCheckpoint, type AuditHead } from './audit-types.js';
import { canonicalJson } from './canonical-json.js';

const CHECKPOINT_FIELDS: ReadonlySet<string> = new Set(['v', 'seq', 'hash', 'at', 'keyId', 'signature']);

/** The exact text a checkpoint signature covers. */
function signedText(fields: Omit<AuditCheckpoint, 'signature'>): string {
  const { v, seq, hash, at, keyId } = fields;
  return canonicalJson({ v, seq, hash, at, keyId });
}

/**
 * Signs "record `seq` has hash `hash`" for the given record (or head), stamped `at`.
 * The signature covers the canonical JSON of `{ v, seq, hash, at, keyId }`.
 *
 * @example const checkpoint = createCheckpoint(records.at(-1)!, now, signer);
 */
export function createCheckpoint(record: AuditHead, at: number, signer: Signer): AuditCheckpoint {
  if (!isAuditSeq(record.seq)) throw new InvalidAuditDataError('checkpoint', 'seq', 'must be an integer ≥ 1');
  if (!isSha256Hex(record.hash))
    throw new InvalidAuditDataError('checkpoint', 'hash', 'must be 64 lowercase hex digits');
  if (!isEpochMillis(at))
    throw new InvalidAuditDataError('checkpoint', 'at', 'must be a non-negative integer (ms)');
  if (!isNonEmptyString(signer.keyId))
    throw new InvalidAuditDataError('checkpoint', 'keyId', 'must be a non-empty string');
  const fields = { v: AUDIT_RECORD_VERSION, seq: record.seq, hash: record.hash, at, keyId: signer.keyId };
  return Object.freeze({ ...fields, signature: signer.sign(signedText(fields)) });
}

/**
 * True when the checkpoint's signature verifies under the key it names. It says nothing about
 * the log: `verifyAuditChain` compares the signed hash with the record at `seq`.
 */
export function verifyCheckpoint(checkpoint: AuditCheckpoint, verifier: SignatureVerifier): boolean {
  if (checkpoint.v !== AUDIT_RECORD_VERSION || typeof checkpoint.signature !== 'string') return false;
  let text: string;
  try {
    text = signedText(checkpoint);
  } catch {
    // A checkpoint whose fields cannot even be canonicalized was not signed by us.
    return false;
  }
  return verifier.verify(checkpoint.keyId, text, checkpoint.signature);
}

/**
 * Reads a checkpoint from parsed JSON, checking every field. Throws `UnsupportedVersionError`
 * for another `v` and `InvalidAuditDataError` for anything else amiss; the signature itself is
 * checked by `verifyCheckpoint`.
 */
export function parseAuditCheckpoint(json: unknown): AuditCheckpoint {
  if (!isPlainRecord(json))
    throw new InvalidAuditDataError('checkpoint', 'checkpoint', 'must be a JSON object');
  if (json.v !== AUDIT_RECORD_VERSION) {
    throw new UnsupportedVersionError('audit checkpoint', json.v, [AUDIT_RECORD_VERSION]);
  }
  const { seq, hash, at, keyId, signature } = json;
  if (!isAuditSeq(seq)) throw new InvalidAuditDataError('checkpoint', 'seq', 'must be an integer ≥ 1');
  if (!isSha256Hex(hash))
    throw new InvalidAuditDataError('checkpoint', 'hash', 'must be 64 lowercase hex digits');
  if (!isEpochMillis(at))
    throw new InvalidAuditDataError('checkpoint', 'at', 'must be a non-negative integer (ms)');
  if (!isNonEmptyString(keyId))
    throw new InvalidAuditDataError('checkpoint', 'keyId', 'must be a non-empty string');
  if (!isNonEmptyString(signature)) {
    throw new InvalidAuditDataError('checkpoint', 'signature', 'must be a non-empty string');
  }
  const extra = unexpectedKeys(json, CHECKPOINT_FIELDS);
  if (extra.length > 0)
    throw new InvalidAuditDataError('checkpoint', extra[0] ?? '', 'is not a field of a checkpoint');
  return Object.freeze({ v: AUDIT_RECORD_VERSION, seq, hash, at, keyId, signature });
}
