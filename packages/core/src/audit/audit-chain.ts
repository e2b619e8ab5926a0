import type { AuditEventDraft } from '../approval/approval-types.js';
import { UnsupportedVersionError } from '../errors.js';
import type { Sha256 } from '../ports.js';
import { InvalidAuditDataError } from './audit-errors.js';
import {
  isAuditSeq,
  isEpochMillis,
  isNonEmptyString,
  isPlainRecord,
  isSha256Hex,
  unexpectedKeys,
} from './audit-fields.js';
import {
  AUDIT_RECORD_VERSION,
  type AuditHead,
  type AuditRecord,
  type UnhashedAuditRecord,
} from './audit-types.js';
import { canonicalJson } from './canonical-json.js';

/** The `prevHash` of the first record: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

const RECORD_FIELDS: ReadonlySet<string> = new Set([
  'v',
  'seq',
  'at',
  'type',
  'actor',
  'subject',
  'data',
  'prevHash',
  'hash',
]);

/**
 * The hash of a record: SHA-256 of the canonical JSON of `{ v, seq, at, type, actor, subject,
 * data, prevHash }`. Other properties of `fields` (a `hash` already there) are ignored.
 */
export function hashAuditRecord(fields: UnhashedAuditRecord, sha256: Sha256): string {
  const { v, seq, at, type, actor, subject, data, prevHash } = fields;
  return sha256(canonicalJson({ v, seq, at, type, actor, subject, data, prevHash }));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const entry of Object.values(value)) deepFreeze(entry);
    Object.freeze(value);
  }
  return value;
}

/**
 * Continues the chain after `head` (`undefined` for an empty log) with one record per draft,
 * all stamped `at`. Pure: returns new deep-frozen records and changes nothing. Each record's
 * `data` is a canonical copy of the draft's (undefined-valued properties dropped), so a caller
 * mutating its draft afterwards cannot make a record disagree with its hash.
 * Throws `NotCanonicalizableError` for data JSON cannot carry and `InvalidAuditDataError` for
 * a malformed head, time or draft: failing here is what keeps a state change from committing
 * without its audit record.
 *
 * @example const [created] = appendAuditRecords(await dal.getAuditHead(), result.audit, now, nodeSha256);
 */
export function appendAuditRecords(
  head: AuditHead | undefined,
  drafts: readonly AuditEventDraft[],
  at: number,
  sha256: Sha256,
): AuditRecord[] {
  if (head !== undefined) {
    if (!isAuditSeq(head.seq)) throw new InvalidAuditDataError('head', 'seq', 'must be an integer ≥ 1');
    if (!isSha256Hex(head.hash))
      throw new InvalidAuditDataError('head', 'hash', 'must be 64 lowercase hex digits');
  }
  if (!isEpochMillis(at))
    throw new InvalidAuditDataError('draft', 'at', 'must be a non-negative integer (ms)');
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const records: AuditRecord[] = [];
  for (const draft of drafts) {
    for (const field of ['type', 'actor', 'subject'] as const) {
      if (!isNonEmptyString(draft[field]))
        throw new InvalidAuditDataError('draft', field, 'must be a non-empty string');
    }
    if (!isPlainRecord(draft.data))
      throw new InvalidAuditDataError('draft', 'data', 'must be a plain object');
    seq += 1;
    const data = JSON.parse(canonicalJson(draft.data)) as Record<string, unknown>;
    const fields: UnhashedAuditRecord = {
      v: AUDIT_RECORD_VERSION,
      seq,
      at,
      type: draft.type,
      actor: draft.actor,
      subject: draft.subject,
      data,
      prevHash,
    };
    const record: AuditRecord = deepFreeze({ ...fields, hash: hashAuditRecord(fields, sha256) });
    records.push(record);
    prevHash = record.hash;
  }
  return records;
}

/** The outcome of `inspectAuditRecord`: the record, or what is wrong with the value. */
export type AuditRecordInspection =
  | { readonly ok: true; readonly record: AuditRecord }
  | { readonly ok: false; readonly problem: 'bad-version'; readonly found: unknown }
  | { readonly ok: false; readonly problem: 'malformed'; readonly field: string; readonly reason: string };

function malformed(field: string, reason: string): AuditRecordInspection {
  return { ok: false, problem: 'malformed', field, reason };
}

/**
 * Checks that `json` is an audit record this build can read, without throwing: `v` first
 * (a future version may change every other field), then each field's type, then that no
 * field outside the record's format is present (no hash would cover it).
 */
export function inspectAuditRecord(json: unknown): AuditRecordInspection {
  if (!isPlainRecord(json)) return malformed('record', 'must be a JSON object');
  if (json.v !== AUDIT_RECORD_VERSION) return { ok: false, problem: 'bad-version', found: json.v };
  const { seq, at, type, actor, subject, data, prevHash, hash } = json;
  if (!isAuditSeq(seq)) return malformed('seq', 'must be an integer ≥ 1');
  if (!isEpochMillis(at)) return malformed('at', 'must be a non-negative integer (ms)');
  if (!isNonEmptyString(type)) return malformed('type', 'must be a non-empty string');
  if (!isNonEmptyString(actor)) return malformed('actor', 'must be a non-empty string');
  if (!isNonEmptyString(subject)) return malformed('subject', 'must be a non-empty string');
  if (!isPlainRecord(data)) return malformed('data', 'must be a JSON object');
  if (!isSha256Hex(prevHash)) return malformed('prevHash', 'must be 64 lowercase hex digits');
  if (!isSha256Hex(hash)) return malformed('hash', 'must be 64 lowercase hex digits');
  const extra = unexpectedKeys(json, RECORD_FIELDS);
  if (extra.length > 0) return malformed(extra[0] ?? '', 'is not a field of an audit record');
  const record: AuditRecord = {
    v: AUDIT_RECORD_VERSION,
    seq,
    at,
    type,
    actor,
    subject,
    data,
    prevHash,
    hash,
  };
  return { ok: true, record: Object.freeze(record) };
}

/**
 * Reads an audit record from parsed JSON (a JSON Lines export, a database row's fields),
 * checking every field. Throws `UnsupportedVersionError` for another `v` and
 * `InvalidAuditDataError` for anything else amiss. It does not check the hash: that is
 * `verifyAuditChain`'s job. The returned record is frozen; `data` is the value given.
 */
export function parseAuditRecord(json: unknown): AuditRecord {
  const inspection = inspectAuditRecord(json);
  if (inspection.ok) return inspection.record;
  if (inspection.problem === 'bad-version') {
    throw new UnsupportedVersionError('audit record', inspection.found, [AUDIT_RECORD_VERSION]);
  }
  throw new InvalidAuditDataError('record', inspection.field, inspection.reason);
}
