import { type Kysely, Transaction } from 'kysely';
import type { GatehouseDatabase } from './database-types.js';
import { toStorageError } from './driver-errors.js';
import { createGroupCommitter, type GroupCommitter } from './group-commit.js';
import { engineOf } from './storage-engine.js';

/** What every DAL function takes last: the database, or a transaction on it. */
export type Executor = Kysely<GatehouseDatabase> | Transaction<GatehouseDatabase>;

/**
 * Runs `work` in one transaction: committed if it returns, rolled back if it throws.
 * Inside a transaction already, `work` joins it (no nesting). Errors thrown by `work`
 * come out unchanged; a failure to begin or commit comes out as a `StorageError`.
 * On SQLite the transaction begins IMMEDIATE (see `DurableSqliteDialect`) and is shared with
 * other units of work that arrive meanwhile, each in its own savepoint (group commit).
 * @example await withTransaction(db, async (trx) => { await updateRequest(stored, next, trx); await appendAuditEvents(events, trx); });
 */
export async function withTransaction<T>(
  db: Executor,
  work: (trx: Transaction<GatehouseDatabase>) => Promise<T>,
): Promise<T> {
  if (db instanceof Transaction) return work(db);
  let thrownByWork: { readonly error: unknown } | undefined;
  const tracked = async (trx: Transaction<GatehouseDatabase>): Promise<T> => {
    try {
      return await work(trx);
    } catch (error) {
      thrownByWork = { error };
      throw error;
    }
  };
  try {
    const committer = groupCommitterFor(db);
    return committer === undefined ? await db.transaction().execute(tracked) : await committer.run(tracked);
  } catch (error) {
    if (thrownByWork !== undefined && thrownByWork.error === error) throw error;
    throw toStorageError('commit the transaction', error);
  }
}

const committers = new WeakMap<Kysely<GatehouseDatabase>, GroupCommitter | undefined>();

/** SQLite databases share commits (see `group-commit.ts`); PostgreSQL runs each transaction on its own. */
function groupCommitterFor(db: Kysely<GatehouseDatabase>): GroupCommitter | undefined {
  if (!committers.has(db))
    committers.set(db, engineOf(db) === 'sqlite' ? createGroupCommitter(db) : undefined);
  return committers.get(db);
}
