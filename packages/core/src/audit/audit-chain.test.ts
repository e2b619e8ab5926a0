import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../adapters/node.js';
import { type GatehouseError, UnsupportedVersionError } from '../errors.js';
import {
  appendAuditRecords,
  GENESIS_HASH,
  hashAuditRecord,
  inspectAuditRecord,
  parseAuditRecord,
} from './audit-chain.js';
import { chainArb, chainOf, draft, T0 } from './audit-chain.test-support.js';
import { InvalidAuditDataError } from './audit-errors.js';
import { NotCanonicalizableError } from './canonical-json.js';

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('hashAuditRecord', () => {
  it('is SHA-256 of the canonical JSON of exactly the eight hashed fields', () => {
    const fields = {
      v: 1 as const,
      seq: 1,
      at: 5,
      type: 'request.created',
      actor: 'agent:bot',
      subject: 'request:r1',
      data: { b: 2, a: 1 },
      prevHash: GENESIS_HASH,
    };
    const text = `{"actor":"agent:bot","at":5,"data":{"a":1,"b":2},"prevHash":"${GENESIS_HASH}","seq":1,"subject":"request:r1","type":"request.created","v":1}`;
    expect(hashAuditRecord(fields, nodeSha256)).toBe(nodeSha256(text));
    // A `hash` already present (or any other extra property) is not hashed.
    expect(hashAuditRecord({ ...fields, hash: 'x', extra: 1 } as typeof fields, nodeSha256)).toBe(
      nodeSha256(text),
    );
  });
});

describe('appendAuditRecords', () => {
  it('starts an empty log at seq 1 after the genesis hash, and links each record to the one before', () => {
    const records = appendAuditRecords(undefined, [draft('a'), draft('b'), draft('c')], T0, nodeSha256);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3]);
    expect(records[0]?.prevHash).toBe(GENESIS_HASH);
    expect(records[1]?.prevHash).toBe(records[0]?.hash);
    expect(records[2]?.prevHash).toBe(records[1]?.hash);
    for (const record of records) {
      expect(record).toMatchObject({ v: 1, at: T0, actor: 'user:alice', subject: 'request:r1' });
      expect(record.hash).toBe(hashAuditRecord(record, nodeSha256));
      expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('continues from a head exactly as one long append would', () => {
    const drafts = [draft('a'), draft('b'), draft('c'), draft('d')];
    const whole = appendAuditRecords(undefined, drafts, T0, nodeSha256);
    const first = appendAuditRecords(undefined, drafts.slice(0, 2), T0, nodeSha256);
    const rest = appendAuditRecords(first.at(-1), drafts.slice(2), T0, nodeSha256);
    expect([...first, ...rest]).toEqual(whole);
  });

  it('returns no records for no drafts', () => {
    const head = chainOf(1)[0];
    expect(appendAuditRecords(head, [], T0, nodeSha256)).toEqual([]);
  });

  it('returns deep-frozen records holding a canonical copy of the data', () => {
    const data: Record<string, unknown> = { z: 1, a: { list: [1, 2] }, gone: undefined };
    const [record] = appendAuditRecords(undefined, [draft('x', data)], T0, nodeSha256);
    expect(record).toBeDefined();
    if (record === undefined) return;
    expect(Object.isFrozen(record)).toBe(true);
    expect(Object.isFrozen(record.data)).toBe(true);
    expect(Object.isFrozen((record.data.a as { list: unknown[] }).list)).toBe(true);
    expect(Object.keys(record.data)).toEqual(['a', 'z']);
    // The caller's draft stays its own: changing it later cannot desynchronise the record's hash.
    data.z = 2;
    (data.a as { list: unknown[] }).list.push(3);
    expect(record.data).toEqual({ a: { list: [1, 2] }, z: 1 });
    expect(Object.isFrozen(data)).toBe(false);
    expect(record.hash).toBe(hashAuditRecord(record, nodeSha256));
  });

  it('refuses data JSON cannot carry, so the state change that asked for it cannot commit', () => {
    const error = errorOf(() =>
      appendAuditRecords(undefined, [draft('x', { when: new Date(0) })], T0, nodeSha256),
    );
    expect(error).toBeInstanceOf(NotCanonicalizableError);
    expect((error as NotCanonicalizableError).path).toBe('$.when');
  });

  it.each<[string, () => unknown, string]>([
    [
      'a head with seq 0',
      () => appendAuditRecords({ seq: 0, hash: GENESIS_HASH }, [draft('a')], T0, nodeSha256),
      'seq',
    ],
    [
      'a head with a short hash',
      () => appendAuditRecords({ seq: 1, hash: 'abc' }, [draft('a')], T0, nodeSha256),
      'hash',
    ],
    ['a fractional time', () => appendAuditRecords(undefined, [draft('a')], 1.5, nodeSha256), 'at'],
    ['a negative time', () => appendAuditRecords(undefined, [draft('a')], -1, nodeSha256), 'at'],
    [
      'an empty type',
      () => appendAuditRecords(undefined, [{ ...draft('a'), type: '' }], T0, nodeSha256),
      'type',
    ],
    [
      'an empty actor',
      () => appendAuditRecords(undefined, [{ ...draft('a'), actor: '' }], T0, nodeSha256),
      'actor',
    ],
    [
      'an empty subject',
      () => appendAuditRecords(undefined, [{ ...draft('a'), subject: '' }], T0, nodeSha256),
      'subject',
    ],
    [
      'array data',
      () => appendAuditRecords(undefined, [{ ...draft('a'), data: [] as never }], T0, nodeSha256),
      'data',
    ],
  ])('refuses %s', (_what, run, field) => {
    const error = errorOf(run);
    expect(error).toBeInstanceOf(InvalidAuditDataError);
    expect((error as InvalidAuditDataError).code).toBe('invalid-audit-data');
    expect((error as InvalidAuditDataError).data.field).toBe(field);
  });
});

describe('parseAuditRecord', () => {
  const [record] = chainOf(1);
  const json = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;

  it('reads back what was written, frozen', () => {
    const parsed = parseAuditRecord(json);
    expect(parsed).toEqual(record);
    expect(Object.isFrozen(parsed)).toBe(true);
  });

  it('refuses another format version with UnsupportedVersionError, before looking at other fields', () => {
    for (const v of [2, 0, '1', undefined]) {
      const error = errorOf(() => parseAuditRecord({ v, seq: 'not even a number' }));
      expect(error).toBeInstanceOf(UnsupportedVersionError);
      expect((error as GatehouseError).code).toBe('unsupported-version');
      expect((error as GatehouseError).data).toMatchObject({
        kind: 'audit record',
        found: v,
        supported: [1],
      });
    }
  });

  it.each<[string, unknown]>([
    ['seq', 0],
    ['seq', 1.5],
    ['seq', '1'],
    ['at', -1],
    ['at', '2025-01-01'],
    ['type', ''],
    ['type', 7],
    ['actor', null],
    ['subject', ['request:r1']],
    ['data', []],
    ['data', 'text'],
    ['data', null],
    ['prevHash', 'A'.repeat(64)],
    ['prevHash', '0'.repeat(63)],
    ['hash', undefined],
  ])('refuses a record whose %s is %j', (field, value) => {
    const error = errorOf(() => parseAuditRecord({ ...json, [field]: value }));
    expect(error).toBeInstanceOf(InvalidAuditDataError);
    expect((error as GatehouseError).data).toMatchObject({ kind: 'record', field });
  });

  it('refuses fields no hash covers, and values that are not objects', () => {
    expect((errorOf(() => parseAuditRecord({ ...json, note: 'hi' })) as GatehouseError).data.field).toBe(
      'note',
    );
    expect(errorOf(() => parseAuditRecord([json]))).toBeInstanceOf(InvalidAuditDataError);
    expect(errorOf(() => parseAuditRecord(null))).toBeInstanceOf(InvalidAuditDataError);
  });

  it('inspectAuditRecord reports the same problems without throwing', () => {
    expect(inspectAuditRecord(json)).toEqual({ ok: true, record });
    expect(inspectAuditRecord({ ...json, v: 2 })).toEqual({ ok: false, problem: 'bad-version', found: 2 });
    expect(inspectAuditRecord({ ...json, seq: -4 })).toMatchObject({
      ok: false,
      problem: 'malformed',
      field: 'seq',
    });
  });

  it('reads back every record of random chains through JSON', () => {
    fc.assert(
      fc.property(chainArb, (records) => {
        for (const original of records) {
          expect(parseAuditRecord(JSON.parse(JSON.stringify(original)))).toEqual(original);
        }
      }),
      { numRuns: 50 },
    );
  });
});
