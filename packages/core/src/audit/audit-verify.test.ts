import { describe, expect, it } from 'vitest';
import { createEd25519VerifierFromJwks, generateEd25519Key, nodeSha256 } from '../adapters/node.js';
import { GatehouseError } from '../errors.js';
import { appendAuditRecords, hashAuditRecord } from './audit-chain.js';
import { chainOf, mutable, T0 } from './audit-chain.test-support.js';
import { createCheckpoint } from './audit-checkpoint.js';
import type { AuditRecord, AuditVerification } from './audit-types.js';
import { createAuditChainVerifier, verifyAuditChain } from './audit-verify.js';

const key = generateEd25519Key('audit-1');
const verifier = createEd25519VerifierFromJwks([key.publicKeyJwk]);
const sha256 = nodeSha256;
const chain = chainOf(6);
const at = (seq: number): AuditRecord => chain[seq - 1]!;

function firstBad(verdict: AuditVerification) {
  if (verdict.ok) throw new Error('expected the chain to fail verification');
  return verdict.firstBad;
}

/** Rehashes `record` after changing it, as a forger with write access would. */
function rehashed(record: AuditRecord): AuditRecord {
  return { ...record, hash: hashAuditRecord(record, sha256) };
}

describe('verifyAuditChain: intact logs', () => {
  it('accepts a chain and reports its head', () => {
    const checkpoints = [createCheckpoint(at(2), T0, key.signer), createCheckpoint(at(6), T0, key.signer)];
    const verdict = verifyAuditChain(chain, { sha256, checkpoints, verifier, expectedHead: at(6) });
    expect(verdict).toEqual({
      ok: true,
      count: 6,
      head: { seq: 6, hash: at(6).hash },
      checkpointsVerified: 2,
    });
  });

  it('accepts an empty log, with no head', () => {
    expect(verifyAuditChain([], { sha256 })).toEqual({ ok: true, count: 0, checkpointsVerified: 0 });
  });

  it('takes checkpoints in any order, several per record', () => {
    const checkpoints = [4, 1, 4, 3].map((seq) => createCheckpoint(at(seq), T0 + seq, key.signer));
    expect(verifyAuditChain(chain, { sha256, checkpoints, verifier })).toMatchObject({
      ok: true,
      checkpointsVerified: 4,
    });
  });

  it('accepts records appended after the expected head was taken', () => {
    expect(verifyAuditChain(chain, { sha256, expectedHead: at(3) })).toMatchObject({ ok: true, count: 6 });
  });
});

describe('verifyAuditChain: the first bad record', () => {
  it('an edited record fails its own hash', () => {
    const edited = chain.map((record) =>
      record.seq === 3 ? { ...mutable(record), actor: 'user:mallory' } : record,
    );
    expect(firstBad(verifyAuditChain(edited, { sha256 }))).toMatchObject({
      seq: 3,
      index: 2,
      problem: 'edited',
    });
  });

  it('a deleted record leaves a gap at the record after it', () => {
    const verdict = verifyAuditChain([at(1), at(2), at(4), at(5), at(6)], { sha256 });
    const bad = firstBad(verdict);
    expect(bad).toMatchObject({ seq: 4, index: 2, problem: 'deleted-or-inserted' });
    expect(bad.message).toContain('records 3..3 are missing');
  });

  it('a deleted first record is caught at the new first record', () => {
    expect(firstBad(verifyAuditChain(chain.slice(1), { sha256 }))).toMatchObject({ seq: 2, index: 0 });
  });

  it('two neighbours swapped read as reordered, at the first of them', () => {
    const verdict = verifyAuditChain([at(1), at(3), at(2), at(4)], { sha256 });
    expect(firstBad(verdict)).toMatchObject({ seq: 3, index: 1, problem: 'reordered' });
    expect(firstBad(verifyAuditChain([at(2), at(1), at(3)], { sha256 }))).toMatchObject({
      index: 0,
      problem: 'reordered',
    });
  });

  it('a record moved further back reads as reordered where it reappears', () => {
    // 1 2 4 5 3 6: the gap at 4 comes first.
    const verdict = verifyAuditChain([at(1), at(2), at(4), at(5), at(3), at(6)], { sha256 });
    expect(firstBad(verdict)).toMatchObject({ seq: 4, index: 2, problem: 'deleted-or-inserted' });
    // A replayed older record after its successors: seq going backwards.
    const replayed = verifyAuditChain([at(1), at(2), at(3), at(1)], { sha256 });
    expect(firstBad(replayed)).toMatchObject({ seq: 1, index: 3, problem: 'reordered' });
  });

  it('a duplicated record does not belong', () => {
    const verdict = verifyAuditChain([at(1), at(2), at(2), at(3)], { sha256 });
    expect(firstBad(verdict)).toMatchObject({ seq: 2, index: 2, problem: 'deleted-or-inserted' });
  });

  it('a forged record inserted with a recomputed hash breaks the link of the record after it', () => {
    const [forged] = appendAuditRecords(
      at(2),
      [{ type: 'x', actor: 'system', subject: 's', data: {} }],
      T0,
      sha256,
    );
    const verdict = verifyAuditChain([at(1), at(2), forged!, at(3), at(4)], { sha256 });
    expect(firstBad(verdict)).toMatchObject({ seq: 3, index: 3, problem: 'deleted-or-inserted' });
  });

  it('renumbering after a deletion (hashes recomputed) breaks the link', () => {
    const renumbered = rehashed({ ...at(3), seq: 2 });
    const verdict = verifyAuditChain([at(1), renumbered, at(4)], { sha256 });
    expect(firstBad(verdict)).toMatchObject({ seq: 2, index: 1, problem: 'broken-link' });
  });

  it('a record in another format version is named as such', () => {
    const future = { ...at(2), v: 2 };
    const bad = firstBad(verifyAuditChain([at(1), future, at(3)], { sha256 }));
    expect(bad).toMatchObject({ seq: 2, index: 1, problem: 'bad-version' });
    expect(bad.message).toContain('version 2');
  });

  it('a malformed record, or one whose data cannot be hashed, counts as edited', () => {
    const malformed = { ...at(2), seq: '2' };
    expect(firstBad(verifyAuditChain([at(1), malformed, at(3)], { sha256 }))).toMatchObject({
      seq: 2,
      index: 1,
      problem: 'edited',
    });
    let deep: unknown = 1;
    for (let level = 0; level < 70; level++) deep = [deep];
    const unhashable = { ...at(2), data: { deep } };
    expect(firstBad(verifyAuditChain([at(1), unhashable], { sha256 }))).toMatchObject({
      index: 1,
      problem: 'edited',
    });
  });
});

describe('verifyAuditChain: truncation and anchors', () => {
  it('a log cut short before a checkpoint is truncated', () => {
    const checkpoints = [createCheckpoint(at(6), T0, key.signer)];
    const bad = firstBad(verifyAuditChain(chain.slice(0, 4), { sha256, checkpoints, verifier }));
    expect(bad).toMatchObject({ seq: 5, index: 4, problem: 'truncated' });
    expect(bad.message).toContain('records 5..6 are missing');
  });

  it('a log cut short after the latest checkpoint is only caught with an expected head', () => {
    const checkpoints = [createCheckpoint(at(3), T0, key.signer)];
    const cut = chain.slice(0, 4);
    expect(verifyAuditChain(cut, { sha256, checkpoints, verifier })).toMatchObject({ ok: true, count: 4 });
    const verdict = verifyAuditChain(cut, { sha256, checkpoints, verifier, expectedHead: at(6) });
    expect(firstBad(verdict)).toMatchObject({ seq: 5, index: 4, problem: 'truncated' });
  });

  it('an emptied log is truncated at seq 1', () => {
    expect(firstBad(verifyAuditChain([], { sha256, expectedHead: at(1) }))).toMatchObject({
      seq: 1,
      index: 0,
      problem: 'truncated',
    });
  });

  it('a rewritten tail is caught by the first checkpoint after the change', () => {
    const rewritten: AuditRecord[] = [at(1), at(2)];
    for (const record of chain.slice(2)) {
      const changed = {
        ...record,
        prevHash: rewritten.at(-1)!.hash,
        data: { ...record.data, rewritten: true },
      };
      rewritten.push(rehashed(changed));
    }
    expect(verifyAuditChain(rewritten, { sha256 }).ok).toBe(true);
    const checkpoints = [createCheckpoint(at(2), T0, key.signer), createCheckpoint(at(5), T0, key.signer)];
    const bad = firstBad(verifyAuditChain(rewritten, { sha256, checkpoints, verifier }));
    expect(bad).toMatchObject({ seq: 5, index: 4, problem: 'checkpoint-mismatch' });
    const byHead = firstBad(verifyAuditChain(rewritten, { sha256, expectedHead: at(6) }));
    expect(byHead).toMatchObject({ seq: 6, index: 5, problem: 'checkpoint-mismatch' });
  });

  it('a checkpoint signed by a foreign key fails, even under our key id', () => {
    const forger = generateEd25519Key('audit-1');
    const checkpoints = [createCheckpoint(at(2), T0, key.signer), createCheckpoint(at(4), T0, forger.signer)];
    const bad = firstBad(verifyAuditChain(chain, { sha256, checkpoints, verifier }));
    expect(bad).toMatchObject({ seq: 4, index: 3, problem: 'bad-checkpoint-signature' });
  });

  it('a record failure before a bad checkpoint is the one named', () => {
    const checkpoints = [createCheckpoint(at(5), T0, generateEd25519Key('other').signer)];
    const edited = chain.map((record) => (record.seq === 2 ? { ...record, at: 0 } : record));
    expect(firstBad(verifyAuditChain(edited, { sha256, checkpoints, verifier }))).toMatchObject({
      seq: 2,
      problem: 'edited',
    });
  });

  it('refuses checkpoints without a verifier, and a malformed expected head', () => {
    const checkpoints = [createCheckpoint(at(2), T0, key.signer)];
    expect(() => verifyAuditChain(chain, { sha256, checkpoints })).toThrow(GatehouseError);
    expect(() => verifyAuditChain(chain, { sha256, expectedHead: { seq: 0, hash: at(1).hash } })).toThrow(
      /expectedHead/,
    );
  });
});

describe('createAuditChainVerifier', () => {
  it('stops asking for records once the verdict is known and keeps it', () => {
    const stream = createAuditChainVerifier({ sha256 });
    expect(stream.push(at(1))).toBe(true);
    expect(stream.push(at(3))).toBe(true); // a gap: one more record is needed to classify it
    expect(stream.push(at(4))).toBe(false);
    expect(stream.push(at(5))).toBe(false);
    const verdict = stream.finish();
    expect(verdict).toMatchObject({ ok: false, count: 3, firstBad: { seq: 3, index: 1 } });
    expect(stream.finish()).toBe(verdict);
  });

  it('verifies an asynchronous stream', async () => {
    async function* rows() {
      for (const record of chain) yield JSON.parse(JSON.stringify(record)) as AuditRecord;
    }
    const stream = createAuditChainVerifier({ sha256, expectedHead: at(6) });
    for await (const record of rows()) if (!stream.push(record)) break;
    expect(stream.finish()).toMatchObject({ ok: true, count: 6 });
  });
});
