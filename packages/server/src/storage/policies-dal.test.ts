import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStorageError } from './driver-errors.js';
import { activatePolicy, getActivePolicy, getPolicyVersion, insertPolicyVersion } from './policies-dal.js';
import { ConflictError } from './storage-errors.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';

const version = (name: string, createdAt = 1) => ({
  version: name,
  source: `rules: [] # ${name}`,
  createdAt,
  createdBy: 'user:alice',
});

for (const engine of ENGINES) {
  describe(`policies (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('stores versions inactive; storing the same version again keeps the first', async () => {
      await insertPolicyVersion(version('v1'), storage.db);
      await insertPolicyVersion({ ...version('v1'), createdBy: 'user:mallory' }, storage.db);
      expect(await getPolicyVersion('v1', storage.db)).toEqual({ ...version('v1'), active: false });
      expect(await getActivePolicy(storage.db)).toBeUndefined();
    });

    it('switches the active version atomically, one at a time', async () => {
      await insertPolicyVersion(version('v2', 2), storage.db);
      expect(await activatePolicy('v1', storage.db)).toBe(true);
      expect((await getActivePolicy(storage.db))?.version).toBe('v1');
      expect(await activatePolicy('v2', storage.db)).toBe(true);
      expect((await getActivePolicy(storage.db))?.version).toBe('v2');
      expect((await getPolicyVersion('v1', storage.db))?.active).toBe(false);
      expect(await activatePolicy('v2', storage.db)).toBe(true); // already active: still the one
      expect((await getActivePolicy(storage.db))?.version).toBe('v2');
    });

    it('leaves the active version alone when asked to activate an unknown one', async () => {
      expect(await activatePolicy('v-missing', storage.db)).toBe(false);
      expect((await getActivePolicy(storage.db))?.version).toBe('v2');
    });

    it('never has two active versions, even when written directly', async () => {
      const error = await storage.db
        .updateTable('policies')
        .set({ active: 1 })
        .where('version', '=', 'v1')
        .execute()
        .catch((e: unknown) => e);
      const mapped = toStorageError('activate a policy', error);
      expect(mapped).toBeInstanceOf(ConflictError);
      expect((mapped as ConflictError).constraint).toBe('policies_one_active');
    });

    it('ends concurrent activations with exactly one active version', async () => {
      for (const name of ['v3', 'v4', 'v5', 'v6']) await insertPolicyVersion(version(name), storage.db);
      const outcomes = await Promise.allSettled(
        ['v3', 'v4', 'v5', 'v6'].map((name) => activatePolicy(name, storage.db)),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConflictError);
      }
      const active = await storage.db
        .selectFrom('policies')
        .select('version')
        .where('active', '=', 1)
        .execute();
      expect(active).toHaveLength(1);
    });
  });
}
