/** The audit record and checkpoint format version this build reads and writes. */
export const AUDIT_RECORD_VERSION = 1 as const;

/**
 * One entry of the append-only audit log. `hash` covers every other field (through canonical
 * JSON), and `prevHash` is the previous record's `hash`, so editing, removing or moving any
 * record breaks the chain from that point on.
 */
export interface AuditRecord {
  readonly v: typeof AUDIT_RECORD_VERSION;
  /** 1-based position in the log; contiguous, no gaps. */
  readonly seq: number;
  /** When it was recorded, in milliseconds since the epoch. */
  readonly at: number;
  /** `request.approved`, `review.recorded`, `grant.refused`, … */
  readonly type: string;
  /** `user:alice`, `agent:ci-bot`, or `system`. */
  readonly actor: string;
  /** What it is about: `request:<id>`, `user:<id>`, `policy:<version>`. */
  readonly subject: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** The `hash` of record `seq - 1`; 64 zeros for the first record. */
  readonly prevHash: string;
  /** SHA-256 (lowercase hex) of the canonical JSON of every other field. */
  readonly hash: string;
}

/** A record before its hash is computed: the exact fields the hash covers. */
export type UnhashedAuditRecord = Omit<AuditRecord, 'hash'>;

/** The latest record of a log, by position and hash: where the next append continues. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * A signed statement "record `seq` has hash `hash`". Kept beside the log (or elsewhere), it
 * lets `verifyAuditChain` catch a log rewritten with recomputed hashes, or cut short.
 */
export interface AuditCheckpoint {
  readonly v: typeof AUDIT_RECORD_VERSION;
  readonly seq: number;
  /** The `hash` of record `seq`. */
  readonly hash: string;
  /** When the checkpoint was signed, in milliseconds since the epoch. */
  readonly at: number;
  /** Which signing key made `signature`. */
  readonly keyId: string;
  /** base64url Ed25519 signature over the canonical JSON of `{ v, seq, hash, at, keyId }`. */
  readonly signature: string;
}

/** What `verifyAuditChain` found wrong with the first bad record. */
export type AuditProblem =
  /** The record's hash does not match its content (any field, the hash itself included). */
  | 'edited'
  /** A gap in `seq` (records removed) or a record that does not belong (duplicated or forged). */
  | 'deleted-or-inserted'
  /** Records out of order. */
  | 'reordered'
  /** `seq` follows on, but `prevHash` is not the previous record's hash. */
  | 'broken-link'
  /** A record written in a format version this build cannot read. */
  | 'bad-version'
  /** The log ends before a record a checkpoint or the expected head names. */
  | 'truncated'
  /** A checkpoint's signature does not verify: forged, altered, or signed by an unknown key. */
  | 'bad-checkpoint-signature'
  /** A validly signed checkpoint (or the expected head) names a different hash for its record. */
  | 'checkpoint-mismatch';

/** The first bad record `verifyAuditChain` found. */
export interface AuditFault {
  /**
   * The record's own `seq` when it has a numeric one; otherwise (and for `truncated`, where
   * the record is missing) the `seq` that should stand at `index`.
   */
  readonly seq: number;
  /** 0-based position in the records given: for `truncated`, the position of the first missing one. */
  readonly index: number;
  readonly problem: AuditProblem;
  /** A sentence for people: what was expected and what was found. */
  readonly message: string;
}

/** The verdict of `verifyAuditChain`. */
export type AuditVerification =
  | {
      readonly ok: true;
      /** Records verified. */
      readonly count: number;
      /** The last record's position and hash; absent for an empty log. */
      readonly head?: AuditHead;
      /** Checkpoints whose signature and hash both verified. */
      readonly checkpointsVerified: number;
    }
  | {
      readonly ok: false;
      /** Records read before the verdict (the one after a bad record may have been read to classify it). */
      readonly count: number;
      readonly firstBad: AuditFault;
    };
