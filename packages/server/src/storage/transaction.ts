import { type Kysely, Transaction } from 'kysely';
import type { GatehouseDatabase } from './database-types.js';
import { toStorageError } from './driver-errors.js';

/** What every DAL function takes last: the database, or a transaction on it. */
export type Executor = Kysely<GatehouseDatabase> | Transaction<GatehouseDatabase>;

/**
 * Runs `work` in one transaction: committed if it returns, rolled back if it throws.
 * Inside a transaction already, `work` joins it (no nesting). Errors thrown by `work`
 * come out unchanged; a failure to begin or commit comes out as a `StorageError`.
 * On SQLite the transaction begins IMMEDIATE (see `DurableSqliteDialect`).
 * @example await withTransaction(db, async (trx) => { await updateRequest(stored, next, trx); await appendAuditEvents(events, trx); });
 */
export async function withTransaction<T>(
  db: Executor,
  work: (trx: Transaction<GatehouseDatabase>) => Promise<T>,
): Promise<T> {
  if (db instanceof Transaction) return work(db);
  let thrownByWork: { readonly error: unknown } | undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      try {
        return await work(trx);
      } catch (error) {
        thrownByWork = { error };
        throw error;
      }
    });
  } catch (error) {
    if (thrownByWork !== undefined && thrownByWork.error === error) throw error;
    throw toStorageError('commit the transaction', error);
  }
}
