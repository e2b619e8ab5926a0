import type { GrantRecord } from '@gatehouse/core';
import { guard } from './driver-errors.js';
import { optional } from './row-values.js';
import type { Executor } from './transaction.js';

/** A grant as stored: the core's record plus what it is bound to. */
export interface StoredGrant extends GrantRecord {
  readonly requestId: string;
  readonly payloadHash: string;
}

/** Stores an issued grant. A second grant for the same request is a `ConflictError` (`grants_request_unique`). */
export async function insertGrant(grant: StoredGrant, db: Executor): Promise<void> {
  await guard('store a grant', () =>
    db
      .insertInto('grants')
      .values({
        jti: grant.jti,
        request_id: grant.requestId,
        payload_hash: grant.payloadHash,
        issued_at: grant.issuedAt,
        expires_at: grant.expiresAt,
        consumed_at: grant.consumedAt ?? null,
      })
      .execute(),
  );
}

/** The grant with this id, if any. */
export async function getGrant(jti: string, db: Executor): Promise<StoredGrant | undefined> {
  return guard('read a grant', async () => {
    const row = await db.selectFrom('grants').selectAll().where('jti', '=', jti).executeTakeFirst();
    if (row === undefined) return undefined;
    return Object.freeze({
      jti: row.jti,
      requestId: row.request_id,
      payloadHash: row.payload_hash,
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
      consumedAt: optional(row.consumed_at),
    });
  });
}

/**
 * Consumes a grant: true for exactly one caller, ever. One conditional UPDATE
 * (`WHERE jti = ? AND consumed_at IS NULL AND expires_at > now`), so concurrent consumers
 * on any number of nodes cannot both win. False when unknown, already used or expired.
 */
export async function consumeGrant(jti: string, now: number, db: Executor): Promise<boolean> {
  return guard('consume a grant', async () => {
    const result = await db
      .updateTable('grants')
      .set({ consumed_at: now })
      .where('jti', '=', jti)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  });
}
