import type { Kysely, Transaction } from 'kysely';
import type { GatehouseDatabase } from './database-types.js';

/** The most units of work one SQLite commit carries. */
const MAX_BATCH = 256;

type Work<T> = (trx: Transaction<GatehouseDatabase>) => Promise<T>;

interface Unit {
  readonly work: Work<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Runs units of work in shared transactions; see `createGroupCommitter`. */
export interface GroupCommitter {
  run<T>(work: Work<T>): Promise<T>;
}

/**
 * Group commit for SQLite (one writer, one fsync per commit): units of work that arrive
 * while a commit is under way wait, then run one after another inside ONE transaction,
 * each in its own savepoint, and share its single durable commit. A unit that throws is
 * rolled back to its savepoint alone; the others commit. Every caller's promise settles
 * only after the commit is on disk, so "decided" still means "durable".
 *
 * Units run strictly in sequence, as SQLite's single writer would run them anyway, so a
 * unit sees every earlier unit's writes (the audit chain continues from their records).
 */
export function createGroupCommitter(db: Kysely<GatehouseDatabase>): GroupCommitter {
  const queue: Unit[] = [];
  let draining = false;

  async function runBatch(batch: Unit[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let trx: Awaited<ReturnType<ReturnType<typeof db.startTransaction>['execute']>>;
    try {
      trx = await db.startTransaction().execute();
    } catch (error) {
      for (const unit of batch) unit.reject(error);
      return;
    }
    try {
      for (const [index, unit] of batch.entries()) {
        const name = `unit_${index}`;
        const savepoint = await trx.savepoint(name).execute();
        try {
          const value = await unit.work(savepoint);
          await savepoint.releaseSavepoint(name).execute();
          outcomes.push({ ok: true, value });
        } catch (error) {
          await savepoint.rollbackToSavepoint(name).execute();
          outcomes.push({ ok: false, error });
        }
      }
      await trx.commit().execute();
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => {});
      for (const unit of batch) unit.reject(error);
      return;
    }
    for (const [index, unit] of batch.entries()) {
      const outcome = outcomes[index];
      if (outcome?.ok) unit.resolve(outcome.value);
      else unit.reject(outcome?.error);
    }
  }

  async function drain(): Promise<void> {
    draining = true;
    // better-sqlite3 is synchronous: without yielding once, the first unit would commit before
    // the event loop read the other clients' requests, and every batch would hold one unit.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (queue.length > 0) await runBatch(queue.splice(0, MAX_BATCH));
    } finally {
      draining = false;
    }
  }

  return {
    run<T>(work: Work<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) void drain();
      });
    },
  };
}
