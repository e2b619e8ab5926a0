import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestAuditCheckpoint, insertAuditCheckpoint } from './audit-checkpoints-dal.js';
import {
  type AuditEventRecord,
  appendAuditEvents,
  getAuditHead,
  listSubjectAuditEvents,
  streamAuditEvents,
} from './audit-dal.js';
import { toStorageError } from './driver-errors.js';
import { type ConflictError, IntegrityError } from './storage-errors.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';
import { withTransaction } from './transaction.js';

/** A chain of `count` events after `head` (the hashes are stand-ins: storage does not check them). */
function chain(afterSeq: number, afterHash: string, count: number): AuditEventRecord[] {
  const events: AuditEventRecord[] = [];
  let prevHash = afterHash;
  for (let i = 1; i <= count; i += 1) {
    const seq = afterSeq + i;
    const hash = `h${String(seq).padStart(6, '0')}`;
    events.push({
      seq,
      v: 1,
      at: 10_000 + seq,
      type: seq % 2 === 0 ? 'review.recorded' : 'request.created',
      actor: 'agent:ci-bot',
      subject: `request:r${seq % 3}`,
      data: { seq, note: 'ünïcode ✓', nested: { list: [1, 'two', null] } },
      prevHash,
      hash,
    });
    prevHash = hash;
  }
  return events;
}

async function collect(iterable: AsyncIterable<AuditEventRecord>): Promise<AuditEventRecord[]> {
  const all: AuditEventRecord[] = [];
  for await (const event of iterable) all.push(event);
  return all;
}

for (const engine of ENGINES) {
  describe(`audit log (${engine})`, () => {
    let storage: TestStorage;
    let written: AuditEventRecord[] = [];

    beforeAll(async () => {
      storage = await openTestStorage(engine);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('starts empty', async () => {
      expect(await getAuditHead(storage.db)).toBeUndefined();
      expect(await collect(streamAuditEvents(1, 10, storage.db))).toEqual([]);
    });

    it('appends events and reports the head', async () => {
      written = chain(0, 'genesis', 1_203); // more than one insert chunk
      await appendAuditEvents(written, storage.db);
      expect(await getAuditHead(storage.db)).toEqual({ seq: 1_203, hash: 'h001203' });
    });

    it('streams every event in order, from any point, in any batch size', async () => {
      expect(await collect(streamAuditEvents(1, 100, storage.db))).toEqual(written);
      expect(await collect(streamAuditEvents(1, 1_203, storage.db))).toEqual(written);
      expect(await collect(streamAuditEvents(1_200, 7, storage.db))).toEqual(written.slice(1_199));
      expect(await collect(streamAuditEvents(5_000, 7, storage.db))).toEqual([]);
      const subject = await listSubjectAuditEvents('request:r1', storage.db);
      expect(subject.map((e) => e.seq)).toEqual(
        written.filter((e) => e.subject === 'request:r1').map((e) => e.seq),
      );
    });

    it('refuses a second event at the same sequence number', async () => {
      const racing = chain(1_202, 'h001202', 1).map((e) => ({ ...e, hash: 'h-other' }));
      const error = await appendAuditEvents(racing, storage.db).catch((e: unknown) => e);
      expect((error as ConflictError).constraint).toBe('audit_events_pkey');
    });

    it('writes nothing when the transaction that appended fails (fail closed)', async () => {
      const next = chain(1_203, 'h001203', 2);
      const failure = new Error('state change failed');
      await expect(
        withTransaction(storage.db, async (trx) => {
          await appendAuditEvents(next, trx);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect((await getAuditHead(storage.db))?.seq).toBe(1_203);
    });

    it('refuses UPDATE and DELETE in the database itself', async () => {
      const attempts: (() => Promise<unknown>)[] = [
        () => storage.db.updateTable('audit_events').set({ type: 'forged' }).where('seq', '=', 5).execute(),
        () => storage.db.deleteFrom('audit_events').where('seq', '=', 1_203).execute(),
        () => storage.db.deleteFrom('audit_events').execute(),
        () => sql`update audit_events set data = ${'{}'} where seq > 0`.execute(storage.db),
      ];
      if (engine === 'postgres') attempts.push(() => sql`truncate audit_events cascade`.execute(storage.db));
      for (const attempt of attempts) {
        const error = await attempt().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeDefined();
        const mapped = toStorageError('edit the audit log', error);
        expect(mapped).toBeInstanceOf(IntegrityError);
        expect((mapped as IntegrityError).rule).toBe('audit_append_only');
      }
      expect(await collect(streamAuditEvents(1, 500, storage.db))).toEqual(written);
    });

    it('keeps signed checkpoints of the head', async () => {
      expect(await getLatestAuditCheckpoint(storage.db)).toBeUndefined();
      const checkpoint = { v: 1, seq: 1_000, hash: 'h001000', at: 20_000, keyId: 'k1', signature: 'sig' };
      await insertAuditCheckpoint(checkpoint, storage.db);
      await insertAuditCheckpoint({ ...checkpoint, seq: 1_203, hash: 'h001203' }, storage.db);
      expect(await getLatestAuditCheckpoint(storage.db)).toEqual({
        ...checkpoint,
        seq: 1_203,
        hash: 'h001203',
      });
      const dangling = await insertAuditCheckpoint({ ...checkpoint, seq: 9_999 }, storage.db).catch(
        (e: unknown) => e,
      );
      expect((dangling as IntegrityError).rule).toBe('foreign_key');
    });
  });
}
