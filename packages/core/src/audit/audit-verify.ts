import { GatehouseError } from '../errors.js';
import type { Sha256, SignatureVerifier } from '../ports.js';
import { GENESIS_HASH, hashAuditRecord, inspectAuditRecord } from './audit-chain.js';
import { parseAuditCheckpoint, verifyCheckpoint } from './audit-checkpoint.js';
import { InvalidAuditDataError } from './audit-errors.js';
import { isAuditSeq, isSha256Hex } from './audit-fields.js';
import type {
  AuditCheckpoint,
  AuditFault,
  AuditHead,
  AuditProblem,
  AuditRecord,
  AuditVerification,
} from './audit-types.js';

/** What to verify a log against. */
export interface AuditVerifyOptions {
  /** The hash the log was written with. */
  readonly sha256: Sha256;
  /** Signed checkpoints, in any order. Requires `verifier`. */
  readonly checkpoints?: readonly AuditCheckpoint[];
  /** Checks checkpoint signatures against the audit signing keys. */
  readonly verifier?: SignatureVerifier;
  /**
   * The head as last seen by someone other than the log's writer (a copy kept elsewhere).
   * The only way to notice records cut off after the latest checkpoint.
   */
  readonly expectedHead?: AuditHead;
}

/**
 * A verifier fed one record at a time, for logs read from a stream (sync or async).
 *
 * @example
 * const verifier = createAuditChainVerifier({ sha256: nodeSha256 });
 * for await (const record of dal.streamAuditEvents(1, 500)) if (!verifier.push(record)) break;
 * const verdict = verifier.finish();
 */
export interface AuditChainVerifier {
  /**
   * Feeds the next record, as read (a parsed JSON line, a database row): its version and
   * every field are checked here. Returns false once the verdict is known.
   */
  push(record: unknown): boolean;
  /** The verdict, once the last record has been pushed (or `push` returned false). */
  finish(): AuditVerification;
}

/** The chain's expectation for the record at one position, and how a record measured up. */
type LinkCheck =
  | { readonly ok: true; readonly record: AuditRecord }
  | {
      readonly ok: false;
      readonly fault: AuditFault;
      readonly record?: AuditRecord;
      readonly hashOk: boolean;
    };

function fault(seq: number, index: number, problem: AuditProblem, message: string): AuditFault {
  return Object.freeze({ seq, index, problem, message });
}

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

function claimedSeq(value: unknown, fallback: number): number {
  const seq = typeof value === 'object' && value !== null ? (value as { seq?: unknown }).seq : undefined;
  return typeof seq === 'number' && Number.isFinite(seq) ? seq : fallback;
}

function checkLink(
  value: unknown,
  index: number,
  expectedSeq: number,
  prevHash: string,
  sha256: Sha256,
): LinkCheck {
  const inspection = inspectAuditRecord(value);
  if (!inspection.ok) {
    const seq = claimedSeq(value, expectedSeq);
    if (inspection.problem === 'bad-version') {
      const message = `record at index ${index} has format version ${String(inspection.found)}; this build reads 1`;
      return { ok: false, hashOk: false, fault: fault(seq, index, 'bad-version', message) };
    }
    const message = `record at index ${index} is malformed: ${inspection.field} ${inspection.reason}`;
    return { ok: false, hashOk: false, fault: fault(seq, index, 'edited', message) };
  }
  const { record } = inspection;
  const { seq } = record;
  let actual: string | undefined;
  try {
    actual = hashAuditRecord(record, sha256);
  } catch {
    actual = undefined; // data no writer could have hashed: it was put there afterwards
  }
  if (actual !== record.hash) {
    const message = `record ${seq} was altered: its content does not match its hash ${short(record.hash)}`;
    return { ok: false, record, hashOk: false, fault: fault(seq, index, 'edited', message) };
  }
  const bad = (problem: AuditProblem, message: string): LinkCheck => ({
    ok: false,
    record,
    hashOk: true,
    fault: fault(seq, index, problem, message),
  });
  if (seq > expectedSeq) {
    return bad(
      'deleted-or-inserted',
      `expected seq ${expectedSeq}, found ${seq}: records ${expectedSeq}..${seq - 1} are missing`,
    );
  }
  if (seq === expectedSeq - 1)
    return bad('deleted-or-inserted', `seq ${seq} appears twice: a record was inserted`);
  if (seq < expectedSeq)
    return bad('reordered', `seq ${seq} comes after seq ${expectedSeq - 1}: records are out of order`);
  if (record.prevHash !== prevHash) {
    return bad(
      'broken-link',
      `record ${seq} does not follow record ${seq - 1}: its prevHash is not that record's hash`,
    );
  }
  return { ok: true, record };
}

/**
 * Once a record fails, the one after it tells a removed or swapped record from an intruder:
 * if the next record continues the chain as if the bad one were not there, the bad one was
 * inserted, or (when it links to that next record) the two were swapped.
 */
function classify(suspect: LinkCheck & { ok: false }, next: LinkCheck, expectedSeq: number): AuditFault {
  if (!next.ok) return suspect.fault;
  const { seq, index } = suspect.fault;
  const record = suspect.record;
  if (
    record !== undefined &&
    suspect.hashOk &&
    record.seq === expectedSeq + 1 &&
    record.prevHash === next.record.hash
  ) {
    return fault(seq, index, 'reordered', `records ${record.seq} and ${next.record.seq} are swapped`);
  }
  const message = `record at index ${index} does not belong: the record after it continues the chain from seq ${expectedSeq - 1}`;
  return fault(seq, index, 'deleted-or-inserted', message);
}

function failed(count: number, firstBad: AuditFault): AuditVerification {
  return Object.freeze({ ok: false, count, firstBad });
}

/**
 * Starts a one-pass verification (O(1) memory besides the checkpoints); see `verifyAuditChain`.
 * Throws `InvalidAuditDataError` or `UnsupportedVersionError` for malformed checkpoints or
 * expected head, and a `GatehouseError` (`verifier-required`) for checkpoints without a verifier.
 */
export function createAuditChainVerifier(options: AuditVerifyOptions): AuditChainVerifier {
  const { sha256, verifier, expectedHead } = options;
  const checkpoints = (options.checkpoints ?? []).map(parseAuditCheckpoint).sort((a, b) => a.seq - b.seq);
  if (checkpoints.length > 0 && verifier === undefined) {
    throw new GatehouseError(
      'verifier-required',
      'checkpoints can only be checked with a signature verifier',
    );
  }
  if (expectedHead !== undefined && (!isAuditSeq(expectedHead.seq) || !isSha256Hex(expectedHead.hash))) {
    throw new InvalidAuditDataError(
      'head',
      'expectedHead',
      'must be { seq ≥ 1, hash: 64 lowercase hex digits }',
    );
  }
  let head: AuditHead | undefined;
  let read = 0;
  let nextCheckpoint = 0;
  let checkpointsVerified = 0;
  let suspect: (LinkCheck & { ok: false }) | undefined;
  let verdict: AuditVerification | undefined;

  const expectedSeq = () => (head?.seq ?? 0) + 1;

  function checkAnchors(record: AuditRecord, index: number): AuditFault | undefined {
    for (; checkpoints[nextCheckpoint]?.seq === record.seq; nextCheckpoint++) {
      const checkpoint = checkpoints[nextCheckpoint]!;
      // Checked when created: checkpoints come with a verifier.
      if (!verifyCheckpoint(checkpoint, verifier!)) {
        const message = `the checkpoint for record ${record.seq} (key ${checkpoint.keyId}) has an invalid signature`;
        return fault(record.seq, index, 'bad-checkpoint-signature', message);
      }
      if (checkpoint.hash !== record.hash) {
        const message = `record ${record.seq} has hash ${short(record.hash)} but its signed checkpoint says ${short(checkpoint.hash)}: the log was rewritten`;
        return fault(record.seq, index, 'checkpoint-mismatch', message);
      }
      checkpointsVerified += 1;
    }
    if (expectedHead?.seq === record.seq && expectedHead.hash !== record.hash) {
      const message = `record ${record.seq} has hash ${short(record.hash)} but the expected head says ${short(expectedHead.hash)}`;
      return fault(record.seq, index, 'checkpoint-mismatch', message);
    }
    return undefined;
  }

  function truncation(): AuditFault | undefined {
    const last = head?.seq ?? 0;
    const named = Math.max(checkpoints.at(-1)?.seq ?? 0, expectedHead?.seq ?? 0);
    if (named <= last) return undefined;
    const by = named === expectedHead?.seq ? 'the expected head' : 'a signed checkpoint';
    const message = `the log ends at seq ${last} but ${by} names seq ${named}: records ${last + 1}..${named} are missing`;
    return fault(last + 1, read, 'truncated', message);
  }

  return {
    push(value) {
      if (verdict !== undefined) return false;
      const index = read++;
      const check = checkLink(value, index, expectedSeq(), head?.hash ?? GENESIS_HASH, sha256);
      if (suspect !== undefined) {
        verdict = failed(read, classify(suspect, check, expectedSeq()));
        return false;
      }
      if (!check.ok) {
        if (check.fault.problem === 'bad-version') {
          verdict = failed(read, check.fault);
          return false;
        }
        suspect = check;
        return true; // one more record to tell what happened
      }
      head = { seq: check.record.seq, hash: check.record.hash };
      const anchorFault = checkAnchors(check.record, index);
      if (anchorFault === undefined) return true;
      verdict = failed(read, anchorFault);
      return false;
    },
    finish() {
      if (verdict !== undefined) return verdict;
      if (suspect !== undefined) {
        verdict = failed(read, suspect.fault);
        return verdict;
      }
      const cut = truncation();
      verdict =
        cut !== undefined
          ? failed(read, cut)
          : Object.freeze({
              ok: true,
              count: read,
              ...(head && { head: Object.freeze(head) }),
              checkpointsVerified,
            });
      return verdict;
    },
  };
}

/**
 * Verifies a whole log in one pass and names the FIRST bad record: the first one that does
 * not extend the verified prefix. An edited record fails its own hash; a deleted one leaves a
 * `seq` gap at the record after it; an inserted one does not belong where it stands (one
 * inserted with a recomputed hash and the right `seq` breaks the link of the record after it);
 * a swap of neighbours reads as reordered; a checkpoint must verify and match its record.
 *
 * Records are taken as read (typed records, parsed JSON lines, rows): each one's version and
 * fields are checked, so a malformed one is reported rather than thrown.
 *
 * Limits, by the nature of a hash chain: records cut off after the latest checkpoint are only
 * noticed with `expectedHead` (an anchor kept somewhere the log's writer cannot change); a
 * writer who rewrites the tail with recomputed hashes is caught at the first checkpoint or
 * anchor at or after the change, which is the record then named; records appended after the
 * last anchor cannot be told from genuine ones.
 *
 * @example verifyAuditChain(records, { sha256: nodeSha256, checkpoints, verifier, expectedHead })
 */
export function verifyAuditChain(records: Iterable<unknown>, options: AuditVerifyOptions): AuditVerification {
  const verifier = createAuditChainVerifier(options);
  for (const record of records) if (!verifier.push(record)) break;
  return verifier.finish();
}
