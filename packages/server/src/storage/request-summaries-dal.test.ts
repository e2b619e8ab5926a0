import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getRequestSummary,
  insertRequestSummary,
  listPendingRequestsWithoutSummary,
} from './request-summaries-dal.js';
import { insertRequest } from './requests-dal.js';
import { aRequest } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';

for (const engine of ENGINES) {
  describe(`request summaries (${engine})`, () => {
    let storage: TestStorage;
    const first = aRequest({ createdAt: 1_000 });
    const second = aRequest({ createdAt: 2_000 });
    const decided = aRequest({ createdAt: 500, status: 'denied' });

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      for (const request of [first, second, decided]) await insertRequest(request, undefined, storage.db);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('stores the first summary of a request and keeps it', async () => {
      expect(await listPendingRequestsWithoutSummary(10, storage.db)).toEqual([first.id, second.id]);
      const summary = {
        text: 'Runs the shell command `git push`.',
        risk: 'high' as const,
        signals: [{ code: 'production', detail: 'environment prod' }],
        source: 'llm:tiny' as const,
      };
      expect(await insertRequestSummary(first.id, summary, 3_000, storage.db)).toBe(true);
      expect(
        await insertRequestSummary(
          first.id,
          { ...summary, text: 'later', source: 'built-in' },
          4_000,
          storage.db,
        ),
      ).toBe(false);
      expect(await getRequestSummary(first.id, storage.db)).toEqual({
        ...summary,
        requestId: first.id,
        createdAt: 3_000,
      });
      expect(await getRequestSummary(second.id, storage.db)).toBeUndefined();
      expect(await listPendingRequestsWithoutSummary(10, storage.db)).toEqual([second.id]);
    });
  });
}
