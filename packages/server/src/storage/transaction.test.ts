import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from './storage-errors.js';
import { aUser } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';
import { withTransaction } from './transaction.js';
import { createUser, getUser } from './users-dal.js';

for (const engine of ENGINES) {
  describe(`withTransaction (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('commits what the work wrote and returns its result', async () => {
      const result = await withTransaction(storage.db, async (trx) => {
        await createUser(aUser({ id: 'tx-1' }), trx);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await getUser('tx-1', storage.db)).toBeDefined();
    });

    it('rolls everything back when the work throws, and rethrows the same error', async () => {
      const failure = new Error('the audit record could not be written');
      await expect(
        withTransaction(storage.db, async (trx) => {
          await createUser(aUser({ id: 'tx-2' }), trx);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await getUser('tx-2', storage.db)).toBeUndefined();
    });

    it('rolls back on a storage error inside, which comes out typed', async () => {
      await createUser(aUser({ id: 'tx-3', username: 'taken' }), storage.db);
      const error = await withTransaction(storage.db, async (trx) => {
        await createUser(aUser({ id: 'tx-4' }), trx);
        await createUser(aUser({ id: 'tx-5', username: 'taken' }), trx);
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(await getUser('tx-4', storage.db)).toBeUndefined();
    });

    it('joins an enclosing transaction instead of nesting', async () => {
      const failure = new Error('outer fails');
      await expect(
        withTransaction(storage.db, async (outer) => {
          await withTransaction(outer, async (inner) => {
            expect(inner).toBe(outer);
            await createUser(aUser({ id: 'tx-6' }), inner);
          });
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await getUser('tx-6', storage.db)).toBeUndefined();
    });
  });
}
