import { verifyCheckpoint } from '@gatehouse/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSigningKey, loadStoredKeysVerifier, rotateSigningKey } from '../grants/signing-key-service.js';
import { getLatestAuditCheckpoint, listAuditCheckpoints } from '../storage/audit-checkpoints-dal.js';
import { getAuditHead } from '../storage/audit-dal.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { withTransaction } from '../storage/transaction.js';
import { writeAuditCheckpoint } from './audit-checkpoint-service.js';
import { appendEvents, untilBlockedBy } from './audit-fixtures.test-support.js';
import { verifyStoredAudit } from './audit-verify-service.js';

const T0 = 1_800_000_000_000;
const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`audit checkpoints (${engine})`, () => {
    let storage: TestStorage;

    beforeEach(async () => {
      storage = await openTestStorage(engine);
    });
    afterEach(async () => {
      await storage?.dispose();
    });

    it('writes nothing for an empty log', async () => {
      // A ring made in another database, so this one's log is empty (creating a key audits it).
      const ring = await ensureSigningKey(storage.db, T0);
      const emptyStorage = await openTestStorage(engine);
      try {
        expect(await writeAuditCheckpoint(emptyStorage.db, ring, T0)).toBeUndefined();
        expect(await listAuditCheckpoints(emptyStorage.db)).toEqual([]);
      } finally {
        await emptyStorage.dispose();
      }
    });

    it('signs the current head with the active key and stores it', async () => {
      const ring = await ensureSigningKey(storage.db, T0);
      await appendEvents(storage, 4, T0 + 1);
      const head = await getAuditHead(storage.db);
      const checkpoint = await writeAuditCheckpoint(storage.db, ring, T0 + 2);
      expect(checkpoint).toMatchObject({
        v: 1,
        seq: 5,
        hash: head?.hash,
        at: T0 + 2,
        keyId: ring.active.kid,
      });
      expect(await getLatestAuditCheckpoint(storage.db)).toEqual(checkpoint);
      const verifier = await loadStoredKeysVerifier(storage.db);
      expect(verifyCheckpoint(checkpoint!, verifier)).toBe(true);
      expect(verifyCheckpoint({ ...checkpoint!, seq: 4 }, verifier)).toBe(false);
    });

    it('skips when the head has not moved since the last checkpoint', async () => {
      const ring = await ensureSigningKey(storage.db, T0);
      expect(await writeAuditCheckpoint(storage.db, ring, T0 + 1)).toMatchObject({ seq: 1 });
      expect(await writeAuditCheckpoint(storage.db, ring, T0 + 2)).toBeUndefined();
      await appendEvents(storage, 2, T0 + 3);
      expect(await writeAuditCheckpoint(storage.db, ring, T0 + 4)).toMatchObject({ seq: 3 });
      expect((await listAuditCheckpoints(storage.db)).map((c) => c.seq)).toEqual([1, 3]);
    });

    it('a node writing while another one is writing waits, then skips the signed head', async () => {
      const ring = await ensureSigningKey(storage.db, T0);
      await appendEvents(storage, 3, T0 + 1);
      let second: Promise<unknown> | undefined;
      const first = await withTransaction(storage.db, async (trx) => {
        const checkpoint = await writeAuditCheckpoint(trx, ring, T0 + 2);
        // Another node starts while this one has not committed yet.
        second = writeAuditCheckpoint(storage.db, ring, T0 + 3).catch((error: unknown) => error);
        if (engine === 'postgres') await untilBlockedBy(trx, storage);
        return checkpoint;
      });
      expect(first).toMatchObject({ seq: 4 });
      expect(await second).toBeUndefined();
      expect(await listAuditCheckpoints(storage.db)).toHaveLength(1);
    });

    it('checkpoints signed before a rotation still verify long after the grace period', async () => {
      const first = await ensureSigningKey(storage.db, T0);
      await appendEvents(storage, 3, T0 + 1);
      await writeAuditCheckpoint(storage.db, first, T0 + 2);
      const second = await rotateSigningKey(storage.db, T0 + 3, 'user:alice');
      await appendEvents(storage, 3, T0 + 4);
      const latest = await writeAuditCheckpoint(storage.db, second, T0 + 5);
      expect(latest?.keyId).toBe(second.active.kid);
      await ensureSigningKey(storage.db, T0 + 400 * DAY);
      const verdict = await verifyStoredAudit(storage.db, await loadStoredKeysVerifier(storage.db));
      expect(verdict).toEqual({
        ok: true,
        count: 8,
        head: await getAuditHead(storage.db),
        checkpointsVerified: 2,
      });
      expect((await listAuditCheckpoints(storage.db)).map((c) => c.keyId)).toEqual([
        first.active.kid,
        second.active.kid,
      ]);
    });
  });
}
