import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createEd25519Verifier,
  createEd25519VerifierFromJwks,
  generateEd25519Key,
} from '../adapters/node.js';
import { type GatehouseError, UnsupportedVersionError } from '../errors.js';
import { chainOf, T0 } from './audit-chain.test-support.js';
import { createCheckpoint, parseAuditCheckpoint, verifyCheckpoint } from './audit-checkpoint.js';
import { InvalidAuditDataError } from './audit-errors.js';
import type { AuditCheckpoint } from './audit-types.js';

const key = generateEd25519Key('audit-1');
const foreign = generateEd25519Key('audit-1'); // same key id, different key: a forger's
const verifier = createEd25519VerifierFromJwks([key.publicKeyJwk]);
const records = chainOf(3);
const record = records[2]!;

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('createCheckpoint / verifyCheckpoint', () => {
  it('signs the canonical JSON of { v, seq, hash, at, keyId } with the signer', () => {
    const checkpoint = createCheckpoint(record, T0 + 99, key.signer);
    expect(checkpoint).toMatchObject({ v: 1, seq: 3, hash: record.hash, at: T0 + 99, keyId: 'audit-1' });
    expect(Object.isFrozen(checkpoint)).toBe(true);
    const text = `{"at":${T0 + 99},"hash":"${record.hash}","keyId":"audit-1","seq":3,"v":1}`;
    expect(verifier.verify('audit-1', text, checkpoint.signature)).toBe(true);
    expect(verifyCheckpoint(checkpoint, verifier)).toBe(true);
  });

  it('accepts a head as well as a record', () => {
    const checkpoint = createCheckpoint({ seq: record.seq, hash: record.hash }, T0, key.signer);
    expect(verifyCheckpoint(checkpoint, verifier)).toBe(true);
  });

  it('refuses a checkpoint signed by a foreign key under our key id', () => {
    const forged = createCheckpoint(record, T0, foreign.signer);
    expect(forged.keyId).toBe('audit-1');
    expect(verifyCheckpoint(forged, verifier)).toBe(false);
  });

  it('refuses a checkpoint naming a key the verifier does not know', () => {
    const other = generateEd25519Key('audit-2');
    expect(verifyCheckpoint(createCheckpoint(record, T0, other.signer), verifier)).toBe(false);
    const both = createEd25519Verifier(
      new Map([
        ['audit-1', createPublicKey(key.privateKey)],
        ['audit-2', createPublicKey(other.privateKey)],
      ]),
    );
    expect(verifyCheckpoint(createCheckpoint(record, T0, other.signer), both)).toBe(true);
  });

  it.each<[string, Partial<AuditCheckpoint>]>([
    ['seq', { seq: 2 }],
    ['hash', { hash: records[1]!.hash }],
    ['at', { at: T0 + 1 }],
    ['keyId', { keyId: 'audit-2' }],
    ['v', { v: 2 as 1 }],
    ['signature', { signature: 'A'.repeat(86) }],
  ])('refuses a checkpoint whose %s was changed after signing', (_field, change) => {
    const checkpoint = createCheckpoint(record, T0, key.signer);
    expect(verifyCheckpoint({ ...checkpoint, ...change }, verifier)).toBe(false);
  });

  it('refuses to sign a malformed record or time', () => {
    expect(errorOf(() => createCheckpoint({ seq: 0, hash: record.hash }, T0, key.signer))).toBeInstanceOf(
      InvalidAuditDataError,
    );
    expect(errorOf(() => createCheckpoint({ seq: 1, hash: 'nope' }, T0, key.signer))).toBeInstanceOf(
      InvalidAuditDataError,
    );
    expect(errorOf(() => createCheckpoint(record, Number.NaN, key.signer))).toBeInstanceOf(
      InvalidAuditDataError,
    );
  });
});

describe('parseAuditCheckpoint', () => {
  const checkpoint = createCheckpoint(record, T0, key.signer);
  const json = JSON.parse(JSON.stringify(checkpoint)) as Record<string, unknown>;

  it('reads back what was written, frozen', () => {
    const parsed = parseAuditCheckpoint(json);
    expect(parsed).toEqual(checkpoint);
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(verifyCheckpoint(parsed, verifier)).toBe(true);
  });

  it('refuses another format version', () => {
    const error = errorOf(() => parseAuditCheckpoint({ ...json, v: 2 }));
    expect(error).toBeInstanceOf(UnsupportedVersionError);
    expect((error as GatehouseError).data).toMatchObject({ kind: 'audit checkpoint', found: 2 });
  });

  it.each<[string, unknown]>([
    ['seq', 0],
    ['hash', 'F'.repeat(64)],
    ['at', 1.25],
    ['keyId', ''],
    ['signature', 42],
    ['extra', true],
  ])('refuses a checkpoint whose %s is %j', (field, value) => {
    const error = errorOf(() => parseAuditCheckpoint({ ...json, [field]: value }));
    expect(error).toBeInstanceOf(InvalidAuditDataError);
    expect((error as GatehouseError).data).toMatchObject({ kind: 'checkpoint', field });
  });
});
