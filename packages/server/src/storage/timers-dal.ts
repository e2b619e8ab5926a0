import type { ExpressionBuilder, Selectable } from 'kysely';
import type { GatehouseDatabase, TimersTable } from './database-types.js';
import { guard } from './driver-errors.js';
import { optional } from './row-values.js';
import { engineOf } from './storage-engine.js';
import { type Executor, withTransaction } from './transaction.js';

/** What a timer does when due. */
export type TimerKind = TimersTable['kind'];

/** Due work for a request, and which node holds it, until when. */
export interface TimerRecord {
  readonly id: string;
  readonly requestId: string;
  readonly kind: TimerKind;
  readonly dueAt: number;
  readonly claimedBy?: string;
  readonly claimedUntil?: number;
}

/** What scheduling a timer takes. */
export interface NewTimer {
  readonly id: string;
  readonly requestId: string;
  readonly kind: TimerKind;
  readonly dueAt: number;
}

/** Schedules a timer. */
export async function insertTimer(timer: NewTimer, db: Executor): Promise<void> {
  await guard('schedule a timer', () =>
    db
      .insertInto('timers')
      .values({
        id: timer.id,
        request_id: timer.requestId,
        kind: timer.kind,
        due_at: timer.dueAt,
        claimed_by: null,
        claimed_until: null,
      })
      .execute(),
  );
}

/**
 * Claims up to `limit` timers due at `now` for `nodeId`, leased for `leaseMs`: earliest
 * first, each to one node only. A timer whose lease ran out (its node died) is due again.
 * PostgreSQL: one statement, a CTE that locks due rows `FOR UPDATE SKIP LOCKED`, so nodes
 * claiming at once take disjoint sets without waiting. SQLite: one `UPDATE … RETURNING` in
 * an IMMEDIATE transaction (one writer at a time). Delete a timer once its work is done.
 */
export async function claimDueTimers(
  now: number,
  nodeId: string,
  limit: number,
  leaseMs: number,
  db: Executor,
): Promise<readonly TimerRecord[]> {
  const claim = { claimed_by: nodeId, claimed_until: now + leaseMs };
  const isDue = (eb: ExpressionBuilder<GatehouseDatabase, 'timers'>) =>
    eb.and([
      eb('timers.due_at', '<=', now),
      eb.or([eb('timers.claimed_until', 'is', null), eb('timers.claimed_until', '<=', now)]),
    ]);
  return guard('claim due timers', async () => {
    const rows =
      engineOf(db) === 'postgres'
        ? await db
            .with('due', (qb) =>
              qb
                .selectFrom('timers')
                .select('timers.id')
                .where(isDue)
                .orderBy('timers.due_at')
                .orderBy('timers.id')
                .limit(limit)
                .forUpdate()
                .skipLocked(),
            )
            .updateTable('timers')
            .set(claim)
            .from('due')
            .whereRef('timers.id', '=', 'due.id')
            .returningAll('timers')
            .execute()
        : await withTransaction(db, (trx) =>
            trx
              .updateTable('timers')
              .set(claim)
              .where('timers.id', 'in', (eb) =>
                eb
                  .selectFrom('timers')
                  .select('timers.id')
                  .where(isDue)
                  .orderBy('timers.due_at')
                  .orderBy('timers.id')
                  .limit(limit),
              )
              .returningAll()
              .execute(),
          );
    return Object.freeze(rows.map(toTimer).sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1)));
  });
}

/** Removes a timer (its work is done, or its request was decided); false when already gone. */
export async function deleteTimer(id: string, db: Executor): Promise<boolean> {
  return guard('delete a timer', async () => {
    const result = await db.deleteFrom('timers').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  });
}

/** Removes every timer of a request; returns how many. */
export async function deleteRequestTimers(requestId: string, db: Executor): Promise<number> {
  return guard('delete a request’s timers', async () => {
    const result = await db.deleteFrom('timers').where('request_id', '=', requestId).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

function toTimer(row: Selectable<TimersTable>): TimerRecord {
  return Object.freeze({
    id: row.id,
    requestId: row.request_id,
    kind: row.kind,
    dueAt: row.due_at,
    claimedBy: optional(row.claimed_by),
    claimedUntil: optional(row.claimed_until),
  });
}
