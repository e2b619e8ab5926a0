import { guard } from './driver-errors.js';
import type { Executor } from './transaction.js';

/** An idempotency key a principal used, the request it created, and the body it came with. */
export interface IdempotencyRecord {
  readonly key: string;
  /** `user:alice` or `agent:ci-bot`. */
  readonly principal: string;
  readonly requestId: string;
  readonly createdAt: number;
  /** The hash of the canonical submission body; absent for a key recorded without one. */
  readonly bodyHash?: string;
}

/** Records a key. The same key from the same principal again is a `ConflictError` (`idempotency_pkey`). */
export async function insertIdempotencyKey(record: IdempotencyRecord, db: Executor): Promise<void> {
  await guard('record an idempotency key', () =>
    db
      .insertInto('idempotency')
      .values({
        key: record.key,
        principal: record.principal,
        request_id: record.requestId,
        created_at: record.createdAt,
        body_hash: record.bodyHash ?? null,
      })
      .execute(),
  );
}

/** What a principal's key created, if the key was used. */
export async function findIdempotencyKey(
  principal: string,
  key: string,
  db: Executor,
): Promise<IdempotencyRecord | undefined> {
  return guard('find an idempotency key', async () => {
    const row = await db
      .selectFrom('idempotency')
      .selectAll()
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return Object.freeze({
      key: row.key,
      principal: row.principal,
      requestId: row.request_id,
      createdAt: row.created_at,
      ...(row.body_hash === null ? {} : { bodyHash: row.body_hash }),
    });
  });
}

/** Forgets one principal's key if it was recorded before `cutoff`, so it can be used afresh; returns how many (0 or 1). */
export async function deleteIdempotencyKeyBefore(
  principal: string,
  key: string,
  cutoff: number,
  db: Executor,
): Promise<number> {
  return guard('forget an expired idempotency key', async () => {
    const result = await db
      .deleteFrom('idempotency')
      .where('principal', '=', principal)
      .where('key', '=', key)
      .where('created_at', '<', cutoff)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

/** Forgets keys recorded before `cutoff`; returns how many. */
export async function deleteIdempotencyKeysBefore(cutoff: number, db: Executor): Promise<number> {
  return guard('forget old idempotency keys', async () => {
    const result = await db.deleteFrom('idempotency').where('created_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}
