import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteIdempotencyKeyBefore,
  deleteIdempotencyKeysBefore,
  findIdempotencyKey,
  insertIdempotencyKey,
} from './idempotency-dal.js';
import { insertRequest } from './requests-dal.js';
import type { ConflictError } from './storage-errors.js';
import { aRequest } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';

for (const engine of ENGINES) {
  describe(`idempotency keys (${engine})`, () => {
    let storage: TestStorage;
    const request = aRequest();

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      await insertRequest(request, undefined, storage.db);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('remembers which request a principal’s key created, once per principal', async () => {
      const record = {
        key: 'k-1',
        principal: 'agent:ci-bot',
        requestId: request.id,
        createdAt: 100,
        bodyHash: 'b'.repeat(64),
      };
      await insertIdempotencyKey(record, storage.db);
      expect(await findIdempotencyKey('agent:ci-bot', 'k-1', storage.db)).toEqual(record);
      expect(await findIdempotencyKey('agent:other', 'k-1', storage.db)).toBeUndefined();
      const again = await insertIdempotencyKey({ ...record, createdAt: 200 }, storage.db).catch(
        (e: unknown) => e,
      );
      expect((again as ConflictError).constraint).toBe('idempotency_pkey');
      await insertIdempotencyKey({ ...record, principal: 'agent:other', createdAt: 300 }, storage.db);
      expect(await deleteIdempotencyKeysBefore(250, storage.db)).toBe(1);
      expect(await findIdempotencyKey('agent:ci-bot', 'k-1', storage.db)).toBeUndefined();
      expect(await findIdempotencyKey('agent:other', 'k-1', storage.db)).toBeDefined();
    });

    it('frees one principal’s key only once it is older than the cutoff', async () => {
      const record = { key: 'k-2', principal: 'user:bob', requestId: request.id, createdAt: 1_000 };
      await insertIdempotencyKey(record, storage.db);
      expect(await findIdempotencyKey('user:bob', 'k-2', storage.db)).toEqual(record);
      expect(await deleteIdempotencyKeyBefore('user:bob', 'k-2', 1_000, storage.db)).toBe(0);
      expect(await deleteIdempotencyKeyBefore('user:alice', 'k-2', 2_000, storage.db)).toBe(0);
      expect(await deleteIdempotencyKeyBefore('user:bob', 'k-2', 1_001, storage.db)).toBe(1);
      expect(await findIdempotencyKey('user:bob', 'k-2', storage.db)).toBeUndefined();
    });
  });
}
