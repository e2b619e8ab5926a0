import type { ActionSummary, RiskSignal } from '@gatehouse/core';
import { deepFreeze } from './deep-freeze.js';
import { guard } from './driver-errors.js';
import { notificationTables } from './notification-tables.js';
import { fromJson, toJson } from './row-values.js';
import type { Executor } from './transaction.js';

/** A stored summary: the advisory summary of one request, and when it was written. */
export interface StoredSummary extends ActionSummary {
  readonly requestId: string;
  readonly createdAt: number;
}

/**
 * Stores a request's summary unless it has one already (the first writer wins: several nodes may
 * summarise the same request). True when this call stored it.
 */
export async function insertRequestSummary(
  requestId: string,
  summary: ActionSummary,
  createdAt: number,
  db: Executor,
): Promise<boolean> {
  return guard('store a request summary', async () => {
    const result = await notificationTables(db)
      .insertInto('request_summaries')
      .values({
        request_id: requestId,
        source: summary.source,
        text: summary.text,
        risk: summary.risk,
        signals: toJson(summary.signals.map(({ code, detail }) => ({ code, detail }))),
        created_at: createdAt,
      })
      .onConflict((oc) => oc.column('request_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  });
}

/** The summary of a request, if one was written. */
export async function getRequestSummary(requestId: string, db: Executor): Promise<StoredSummary | undefined> {
  return guard('read a request summary', async () => {
    const row = await notificationTables(db)
      .selectFrom('request_summaries')
      .selectAll()
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return deepFreeze({
      requestId: row.request_id,
      text: row.text,
      risk: row.risk,
      signals: fromJson<RiskSignal[]>(row.signals),
      source: row.source as ActionSummary['source'],
      createdAt: row.created_at,
    });
  });
}

/** Ids of pending requests that have no summary yet, oldest first (to catch up after a restart). */
export async function listPendingRequestsWithoutSummary(
  limit: number,
  db: Executor,
): Promise<readonly string[]> {
  return guard('list requests without a summary', async () => {
    const rows = await notificationTables(db)
      .selectFrom('requests')
      .leftJoin('request_summaries', 'request_summaries.request_id', 'requests.id')
      .select('requests.id')
      .where('requests.status', '=', 'pending')
      .where('request_summaries.request_id', 'is', null)
      .orderBy('requests.created_at')
      .orderBy('requests.id')
      .limit(limit)
      .execute();
    return Object.freeze(rows.map((row) => row.id));
  });
}
