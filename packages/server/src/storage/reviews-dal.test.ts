import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRequest } from './requests-dal.js';
import { insertReview, listReviews } from './reviews-dal.js';
import { ConflictError, type IntegrityError } from './storage-errors.js';
import { aRequest } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';

for (const engine of ENGINES) {
  describe(`reviews (${engine})`, () => {
    let storage: TestStorage;
    const request = aRequest();

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      await insertRequest(request, undefined, storage.db);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('records votes and lists them in order', async () => {
      await insertReview(request.id, { reviewer: 'bob', decision: 'approve', stage: 0, at: 20 }, storage.db);
      await insertReview(
        request.id,
        { reviewer: 'amy', decision: 'deny', comment: 'not today', stage: 0, at: 10 },
        storage.db,
      );
      expect(await listReviews(request.id, storage.db)).toEqual([
        { reviewer: 'amy', decision: 'deny', comment: 'not today', stage: 0, at: 10 },
        { reviewer: 'bob', decision: 'approve', comment: undefined, stage: 0, at: 20 },
      ]);
    });

    it('allows one vote per person per request, even for another stage', async () => {
      const error = await insertReview(
        request.id,
        { reviewer: 'bob', decision: 'deny', stage: 1, at: 30 },
        storage.db,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).constraint).toBe('reviews_pkey');
      expect(await listReviews(request.id, storage.db)).toHaveLength(2);
    });

    it('allows exactly one of many concurrent votes by the same person', async () => {
      const votes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          insertReview(
            request.id,
            { reviewer: 'carol', decision: 'approve', stage: 0, at: 40 + i },
            storage.db,
          ),
        ),
      );
      expect(votes.filter((vote) => vote.status === 'fulfilled')).toHaveLength(1);
      for (const vote of votes) {
        if (vote.status === 'rejected') expect(vote.reason).toBeInstanceOf(ConflictError);
      }
    });

    it('refuses votes on unknown requests and unknown decisions', async () => {
      const unknown = await insertReview(
        'req-none',
        { reviewer: 'bob', decision: 'approve', stage: 0, at: 1 },
        storage.db,
      ).catch((e: unknown) => e);
      expect((unknown as IntegrityError).rule).toBe('foreign_key');
      const odd = await insertReview(
        request.id,
        { reviewer: 'dan', decision: 'abstain' as 'approve', stage: 0, at: 1 },
        storage.db,
      ).catch((e: unknown) => e);
      expect((odd as IntegrityError).rule).toBe('reviews_decision_check');
    });
  });
}
