import { UnsupportedVersionError } from '@gatehouse/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCursorError } from './request-cursor.js';
import {
  findRequestByIdempotencyKey,
  getRequest,
  insertRequest,
  listRequests,
  type RequestQuery,
  updateRequest,
} from './requests-dal.js';
import { ConflictError } from './storage-errors.js';
import { aRequest, uid } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';

for (const engine of ENGINES) {
  describe(`requests (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('stores a request and reads the same value back, frozen', async () => {
      const request = aRequest({ params: { command: 'ls', nested: { n: 1, list: [true, null] } } });
      expect(await insertRequest(request, undefined, storage.db)).toEqual({ request, revision: 0 });
      const stored = await getRequest(request.id, storage.db);
      expect(stored).toEqual({ request, revision: 0 });
      expect(Object.isFrozen(stored?.request.params)).toBe(true);
      expect(await getRequest('req-missing', storage.db)).toBeUndefined();
    });

    it('refuses to read a snapshot of a version this build does not know', async () => {
      const request = aRequest();
      await insertRequest(request, undefined, storage.db);
      await storage.db
        .updateTable('requests')
        .set({ snapshot: JSON.stringify({ ...request, v: 2 }) })
        .where('id', '=', request.id)
        .execute();
      await expect(getRequest(request.id, storage.db)).rejects.toBeInstanceOf(UnsupportedVersionError);
    });

    it('keeps idempotency keys unique per requester', async () => {
      const first = aRequest();
      await insertRequest(first, 'key-1', storage.db);
      const again = await insertRequest(aRequest(), 'key-1', storage.db).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(ConflictError);
      expect((again as ConflictError).constraint).toBe('requests_idempotency_unique');
      const otherRequester = aRequest({ requester: { kind: 'agent', id: 'other-bot', teams: [] } });
      await insertRequest(otherRequester, 'key-1', storage.db);
      const found = await findRequestByIdempotencyKey({ kind: 'agent', id: 'ci-bot' }, 'key-1', storage.db);
      expect(found?.request.id).toBe(first.id);
    });

    it('updates optimistically: of two writers from the same read, one wins', async () => {
      const request = aRequest();
      await insertRequest(request, undefined, storage.db);
      const read = await getRequest(request.id, storage.db);
      if (read === undefined) throw new Error('request not stored');
      const review = { reviewer: 'mod-1', decision: 'approve' as const, stage: 0, at: 2 };
      const [a, b] = await Promise.all([
        updateRequest(read, { ...request, reviews: [review] }, storage.db),
        updateRequest(read, { ...request, reviews: [{ ...review, reviewer: 'mod-2' }] }, storage.db),
      ]);
      expect([a, b].sort()).toEqual([0, 1]);
      const after = await getRequest(request.id, storage.db);
      expect(after?.revision).toBe(1);
      expect(after?.request.reviews).toHaveLength(1);
      const approved = { ...request, status: 'approved' as const, decidedAt: 3, stageIndex: 1 };
      expect(await updateRequest(read, approved, storage.db)).toBe(0); // stale revision
      if (after === undefined) throw new Error('request lost');
      expect(await updateRequest(after, approved, storage.db)).toBe(1);
      const decided = await getRequest(request.id, storage.db);
      expect(decided?.request.status).toBe('approved');
      // A writer that still believes the request is pending gets nothing.
      expect(await updateRequest(after, { ...request, status: 'denied' }, storage.db)).toBe(0);
    });

    it('lists newest first with filters, and cursor pages that neither skip nor repeat', async () => {
      const action = 'deploy.listing';
      const made = [];
      for (let i = 0; i < 12; i += 1) {
        const request = aRequest({
          id: `list${String(i).padStart(2, '0')}`,
          action,
          createdAt: 5_000 + Math.floor(i / 3), // three requests per millisecond: ties broken by id
          status: i % 4 === 0 ? 'denied' : 'pending',
          risk: i % 2 === 0 ? 'high' : 'low',
          requesterTeam: i < 6 ? 'infra' : 'web',
        });
        await insertRequest(request, undefined, storage.db);
        made.push(request);
      }
      const newestFirst = [...made].reverse().map((r) => r.id);
      expect(await pagedIds({ action, limit: 5 })).toEqual(newestFirst);
      const pendingHighInfra = made
        .filter((r) => r.status === 'pending' && r.risk === 'high' && r.requesterTeam === 'infra')
        .map((r) => r.id)
        .reverse();
      expect(await pagedIds({ action, status: 'pending', risk: 'high', team: 'infra', limit: 1 })).toEqual(
        pendingHighInfra,
      );
      expect((await listRequests({ action, limit: Number.NaN }, storage.db)).requests).toHaveLength(12);
      expect((await listRequests({ action, limit: 0 }, storage.db)).requests).toHaveLength(1);
      const first = await listRequests({ action, limit: 12 }, storage.db);
      expect(first.nextCursor).toBeUndefined();
      expect(first.requests).toHaveLength(12);
    });

    it('lists every page of any set of requests, in order (property)', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 15 }),
          fc.integer({ min: 1, max: 6 }),
          async (times, limit) => {
            run += 1;
            const action = `prop.${run}`;
            const made = times.map((time, i) =>
              aRequest({
                id: `${uid('p').replace('-', 'x')}n${String(i).padStart(3, '0')}`,
                action,
                createdAt: time,
              }),
            );
            for (const request of made) await insertRequest(request, undefined, storage.db);
            const expected = [...made]
              .sort((x, y) => y.createdAt - x.createdAt || (y.id < x.id ? -1 : 1))
              .map((r) => r.id);
            expect(await pagedIds({ action, limit })).toEqual(expected);
          },
        ),
        { numRuns: 25 },
      );
    });

    it('refuses a cursor it did not hand out', async () => {
      await expect(listRequests({ cursor: 'not-a-cursor' }, storage.db)).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      const wrongShape = Buffer.from(JSON.stringify({ createdAt: 1 })).toString('base64url');
      await expect(listRequests({ cursor: wrongShape }, storage.db)).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });

    async function pagedIds(query: RequestQuery): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 100; page += 1) {
        const result = await listRequests({ ...query, cursor }, storage.db);
        expect(result.requests.length).toBeLessThanOrEqual(query.limit ?? 50);
        ids.push(...result.requests.map((r) => r.id));
        if (result.nextCursor === undefined) return ids;
        cursor = result.nextCursor;
      }
      throw new Error('pagination did not end');
    }
  });
}
