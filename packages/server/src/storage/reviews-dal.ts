import type { Review } from '@gatehouse/core';
import { guard } from './driver-errors.js';
import { optional } from './row-values.js';
import type { Executor } from './transaction.js';

/**
 * Records one vote. A second vote by the same person on the same request is a
 * `ConflictError` (`reviews_pkey`): the database holds the one-vote rule too.
 */
export async function insertReview(requestId: string, review: Review, db: Executor): Promise<void> {
  await guard('record a review', () =>
    db
      .insertInto('reviews')
      .values({
        request_id: requestId,
        reviewer_id: review.reviewer,
        decision: review.decision,
        comment: review.comment ?? null,
        stage: review.stage,
        at: review.at,
      })
      .execute(),
  );
}

/** A request's votes, oldest first. */
export async function listReviews(requestId: string, db: Executor): Promise<readonly Review[]> {
  return guard('list reviews', async () => {
    const rows = await db
      .selectFrom('reviews')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('at')
      .orderBy('reviewer_id')
      .execute();
    return Object.freeze(
      rows.map((row) =>
        Object.freeze({
          reviewer: row.reviewer_id,
          decision: row.decision,
          comment: optional(row.comment),
          stage: row.stage,
          at: row.at,
        }),
      ),
    );
  });
}
