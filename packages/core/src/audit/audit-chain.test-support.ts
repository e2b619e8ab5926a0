import fc from 'fast-check';
import { nodeSha256 } from '../adapters/node.js';
import type { AuditEventDraft } from '../approval/approval-types.js';
import { appendAuditRecords } from './audit-chain.js';
import type { AuditRecord } from './audit-types.js';

/** A fixed start time for chains built in tests. */
export const T0 = 1_700_000_000_000;

/** A draft with the given type and small data. */
export function draft(type: string, data: Record<string, unknown> = {}): AuditEventDraft {
  return { type, actor: 'user:alice', subject: 'request:r1', data };
}

/** A chain of `count` records, appended one batch per record, one millisecond apart. */
export function chainOf(count: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let index = 0; index < count; index++) {
    const head = records.at(-1);
    records.push(...appendAuditRecords(head, [draft(`event.${index}`, { index })], T0 + index, nodeSha256));
  }
  return records;
}

/** A writable copy of a record, for tampering with. */
export function mutable(record: AuditRecord): { -readonly [K in keyof AuditRecord]: AuditRecord[K] } {
  return { ...record, data: structuredClone(record.data) as Record<string, unknown> };
}

const token = fc.string({ minLength: 1, maxLength: 12 });

/** Audit drafts with varied, JSON-safe data. */
export const draftArb: fc.Arbitrary<AuditEventDraft> = fc.record({
  type: fc.constantFrom(
    'request.created',
    'review.recorded',
    'request.approved',
    'grant.issued',
    'grant.refused',
  ),
  actor: fc.oneof(
    token.map((id) => `user:${id}`),
    token.map((id) => `agent:${id}`),
    fc.constant('system'),
  ),
  subject: token.map((id) => `request:${id}`),
  data: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
});

/** Chains of 1..50 records, appended in random batch sizes at increasing times. */
export const chainArb: fc.Arbitrary<AuditRecord[]> = fc
  .array(fc.tuple(fc.array(draftArb, { minLength: 1, maxLength: 5 }), fc.nat(10_000)), {
    minLength: 1,
    maxLength: 20,
  })
  .map((batches) => {
    const records: AuditRecord[] = [];
    let at = T0;
    for (const [drafts, gap] of batches) {
      at += gap;
      records.push(...appendAuditRecords(records.at(-1), drafts, at, nodeSha256));
    }
    return records.slice(0, 50);
  });
