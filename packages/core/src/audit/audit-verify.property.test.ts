import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEd25519VerifierFromJwks, generateEd25519Key, nodeSha256 } from '../adapters/node.js';
import { GENESIS_HASH, hashAuditRecord } from './audit-chain.js';
import { chainArb, draftArb, mutable } from './audit-chain.test-support.js';
import { createCheckpoint } from './audit-checkpoint.js';
import type { AuditFault, AuditRecord, AuditVerification } from './audit-types.js';
import { verifyAuditChain } from './audit-verify.js';

const sha256 = nodeSha256;
const key = generateEd25519Key('audit-1');
const forger = generateEd25519Key('audit-1');
const verifier = createEd25519VerifierFromJwks([key.publicKeyJwk]);
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);

function firstBad(verdict: AuditVerification): AuditFault {
  if (verdict.ok) throw new Error(`expected a failure, got ${JSON.stringify(verdict)}`);
  return verdict.firstBad;
}

const FIELDS = ['type', 'actor', 'subject', 'data', 'at', 'prevHash', 'hash', 'seq'] as const;
type Field = (typeof FIELDS)[number];

/** A chain, a record in it, a field, and a value for that field that differs from the original. */
const editArb = chainArb.chain((records) =>
  fc
    .tuple(fc.nat(records.length - 1), fc.constantFrom(...FIELDS), hex64, fc.integer({ min: 1, max: 1e6 }))
    .map(([index, field, hex, number]) => ({ records, index, field, hex, number })),
);

function edited(record: AuditRecord, field: Field, hex: string, number: number): AuditRecord {
  const copy = mutable(record);
  switch (field) {
    case 'type':
    case 'actor':
    case 'subject':
      copy[field] = `${record[field]}~`;
      break;
    case 'data':
      // Keys from the generator are at most 8 characters: this one is new.
      copy.data = { ...record.data, 'tampered!': number };
      break;
    case 'at':
      copy.at = record.at + number;
      break;
    case 'seq':
      copy.seq = record.seq + number;
      break;
    case 'prevHash':
    case 'hash':
      copy[field] = hex === record[field] ? hex.replace(/^./, (c) => (c === '0' ? '1' : '0')) : hex;
      break;
  }
  return copy;
}

describe('verifyAuditChain (property): intact chains', () => {
  it('every chain of 1..50 appended records verifies, with its head', () => {
    fc.assert(
      fc.property(chainArb, (records) => {
        const last = records.at(-1)!;
        expect(verifyAuditChain(records, { sha256, expectedHead: last })).toEqual({
          ok: true,
          count: records.length,
          head: { seq: last.seq, hash: last.hash },
          checkpointsVerified: 0,
        });
      }),
    );
  });

  it('checkpoints signed at any records verify', () => {
    fc.assert(
      fc.property(
        chainArb.chain((records) => fc.tuple(fc.constant(records), fc.subarray(records))),
        ([records, signed]) => {
          const checkpoints = signed.map((record) => createCheckpoint(record, record.at, key.signer));
          const verdict = verifyAuditChain(records, { sha256, checkpoints, verifier });
          expect(verdict).toMatchObject({ ok: true, checkpointsVerified: signed.length });
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('verifyAuditChain (property): every single-record mutation names the right record', () => {
  it('editing any field of any record is caught at that record', () => {
    fc.assert(
      fc.property(editArb, ({ records, index, field, hex, number }) => {
        const changed = edited(records[index]!, field, hex, number);
        const tampered = records.map((record, at) => (at === index ? changed : record));
        const bad = firstBad(verifyAuditChain(tampered, { sha256 }));
        expect(bad).toMatchObject({ index, seq: changed.seq, problem: 'edited' });
      }),
    );
  });

  it('changing the format version of any record is caught at that record', () => {
    fc.assert(
      fc.property(
        chainArb.chain((records) =>
          fc.tuple(fc.constant(records), fc.nat(records.length - 1), fc.integer({ min: 2 })),
        ),
        ([records, index, v]) => {
          const tampered = records.map((record, at) =>
            at === index ? ({ ...record, v } as unknown as AuditRecord) : record,
          );
          expect(firstBad(verifyAuditChain(tampered, { sha256 }))).toMatchObject({
            index,
            problem: 'bad-version',
          });
        },
      ),
    );
  });

  it('deleting any record but the last leaves a gap at the record after it', () => {
    fc.assert(
      fc.property(
        chainArb
          .filter((records) => records.length >= 2)
          .chain((records) => fc.tuple(fc.constant(records), fc.nat(records.length - 2))),
        ([records, index]) => {
          const tampered = records.filter((_, at) => at !== index);
          const bad = firstBad(verifyAuditChain(tampered, { sha256 }));
          expect(bad).toMatchObject({ index, seq: index + 2, problem: 'deleted-or-inserted' });
        },
      ),
    );
  });

  it('deleting the last record is caught by an expected head or a checkpoint on it', () => {
    fc.assert(
      fc.property(chainArb, (records) => {
        const last = records.at(-1)!;
        const tampered = records.slice(0, -1);
        const expected = { index: records.length - 1, seq: last.seq, problem: 'truncated' };
        expect(verifyAuditChain(tampered, { sha256 }).ok).toBe(true); // undetectable without an anchor
        expect(firstBad(verifyAuditChain(tampered, { sha256, expectedHead: last }))).toMatchObject(expected);
        const checkpoints = [createCheckpoint(last, last.at, key.signer)];
        expect(firstBad(verifyAuditChain(tampered, { sha256, checkpoints, verifier }))).toMatchObject(
          expected,
        );
      }),
      { numRuns: 50 },
    );
  });

  it('truncating to any shorter length is caught by the expected head', () => {
    fc.assert(
      fc.property(
        chainArb.chain((records) => fc.tuple(fc.constant(records), fc.nat(records.length - 1))),
        ([records, keep]) => {
          const bad = firstBad(
            verifyAuditChain(records.slice(0, keep), { sha256, expectedHead: records.at(-1)! }),
          );
          expect(bad).toMatchObject({ index: keep, seq: keep + 1, problem: 'truncated' });
        },
      ),
    );
  });

  it('swapping any two neighbours is caught at the first of them', () => {
    fc.assert(
      fc.property(
        chainArb
          .filter((records) => records.length >= 2)
          .chain((records) => fc.tuple(fc.constant(records), fc.nat(records.length - 2))),
        ([records, index]) => {
          const tampered = [...records];
          [tampered[index], tampered[index + 1]] = [records[index + 1]!, records[index]!];
          const bad = firstBad(verifyAuditChain(tampered, { sha256 }));
          expect(bad).toMatchObject({ index, seq: index + 2, problem: 'reordered' });
        },
      ),
    );
  });

  it('inserting a forged record anywhere is caught at it, or (hash recomputed) at the record after it', () => {
    const forgeryArb = chainArb.chain((records) =>
      fc.record({
        records: fc.constant(records),
        position: fc.integer({ min: 0, max: records.length }),
        draft: draftArb,
        kind: fc.constantFrom('garbage-hash', 'recomputed-unlinked', 'recomputed-linked'),
        seq: fc.integer({ min: 1, max: 60 }),
        hex: hex64,
      }),
    );
    fc.assert(
      fc.property(forgeryArb, ({ records, position, draft, kind, seq, hex }) => {
        const before = records[position - 1];
        const linked = kind === 'recomputed-linked';
        const fields = {
          v: 1 as const,
          at: before?.at ?? 0,
          ...draft,
          seq: linked ? position + 1 : seq,
          prevHash: linked ? (before?.hash ?? GENESIS_HASH) : hex,
        };
        const hash = kind === 'garbage-hash' ? hex : hashAuditRecord(fields, sha256);
        const forged: AuditRecord = { ...fields, hash };
        const tampered = [...records.slice(0, position), forged, ...records.slice(position)];
        const verdict = verifyAuditChain(tampered, { sha256 });
        const atEnd = position === records.length;
        if (linked && atEnd) {
          // An appended record with a valid link cannot be told from a genuine one (documented).
          expect(verdict.ok).toBe(true);
        } else if (linked) {
          expect(firstBad(verdict)).toMatchObject({ index: position + 1, problem: 'deleted-or-inserted' });
        } else if (atEnd) {
          expect(firstBad(verdict)).toMatchObject({ index: position });
        } else {
          expect(firstBad(verdict)).toMatchObject({ index: position, problem: 'deleted-or-inserted' });
        }
      }),
    );
  });
});

describe('verifyAuditChain (property): checkpoints', () => {
  it('a checkpoint signed by a foreign key is refused at its record', () => {
    fc.assert(
      fc.property(
        chainArb.chain((records) => fc.tuple(fc.constant(records), fc.nat(records.length - 1))),
        ([records, index]) => {
          const target = records[index]!;
          const checkpoints = [createCheckpoint(target, target.at, forger.signer)];
          const bad = firstBad(verifyAuditChain(records, { sha256, checkpoints, verifier }));
          expect(bad).toMatchObject({ index, seq: target.seq, problem: 'bad-checkpoint-signature' });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a tail rewritten with recomputed hashes is caught at the first checkpoint after the change', () => {
    fc.assert(
      fc.property(
        chainArb.chain((records) =>
          fc.tuple(fc.constant(records), fc.nat(records.length - 1), fc.subarray(records, { minLength: 1 })),
        ),
        ([records, from, signed]) => {
          const checkpoints = signed.map((record) => createCheckpoint(record, record.at, key.signer));
          const rewritten = records.slice(0, from);
          for (const record of records.slice(from)) {
            const prevHash = rewritten.at(-1)?.hash ?? GENESIS_HASH;
            const changed = { ...record, prevHash, data: { ...record.data, 'rewritten!': true } };
            rewritten.push({ ...changed, hash: hashAuditRecord(changed, sha256) });
          }
          const caughtAt = signed.map((record) => record.seq).filter((seq) => seq > from);
          const verdict = verifyAuditChain(rewritten, { sha256, checkpoints, verifier });
          if (caughtAt.length === 0) {
            expect(verdict.ok).toBe(true); // no anchor after the change: the documented limit
          } else {
            const seq = Math.min(...caughtAt);
            expect(firstBad(verdict)).toMatchObject({ seq, index: seq - 1, problem: 'checkpoint-mismatch' });
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('verifyAuditChain (property): hostile input', () => {
  it('never throws on arbitrary JSON where records should be, and never accepts it', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 5 }), (values) => {
        const verdict = verifyAuditChain(values, { sha256 });
        expect(firstBad(verdict).index).toBe(0);
      }),
    );
  });
});
