import type { ExpressionBuilder, Selectable } from 'kysely';
import { guard } from './driver-errors.js';
import {
  type NotificationsDatabase,
  notificationTables,
  type WebhookDeliveriesTable,
} from './notification-tables.js';
import { optional } from './row-values.js';
import { engineOf } from './storage-engine.js';
import { type Executor, withTransaction } from './transaction.js';

/** Where one delivery attempt stands: waiting, answered 2xx, failed (retry scheduled), or given up. */
export type DeliveryStatus = WebhookDeliveriesTable['status'];

/** One attempt to deliver one audit event to one subscription: a row of the delivery log. */
export interface WebhookDeliveryRecord {
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventSeq: number;
  readonly eventType: string;
  /** 1 for the first try; each retry (and each manual redelivery) is the next number. */
  readonly attempt: number;
  readonly status: DeliveryStatus;
  readonly nextAttemptAt: number;
  readonly responseStatus?: number;
  readonly error?: string;
  readonly createdAt: number;
  readonly attemptedAt?: number;
  readonly deliveredAt?: number;
  readonly claimedBy?: string;
  readonly claimedUntil?: number;
}

/** What enqueueing an attempt takes. */
export interface NewWebhookDelivery {
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventSeq: number;
  readonly eventType: string;
  readonly attempt: number;
  readonly nextAttemptAt: number;
  readonly createdAt: number;
}

/** How an attempt ended. */
export interface AttemptOutcome {
  readonly status: Exclude<DeliveryStatus, 'pending'>;
  readonly attemptedAt: number;
  readonly responseStatus?: number;
  readonly error?: string;
}

// Well under SQLite's bound-parameter limit (7 columns per row).
const INSERT_CHUNK = 500;

/**
 * Enqueues pending attempts. An attempt already there (same subscription, event and attempt
 * number) is skipped, so enqueueing twice is harmless. Returns how many were added.
 */
export async function insertWebhookDeliveries(
  deliveries: readonly NewWebhookDelivery[],
  db: Executor,
): Promise<number> {
  return guard('enqueue webhook deliveries', async () => {
    let inserted = 0;
    for (let start = 0; start < deliveries.length; start += INSERT_CHUNK) {
      const chunk = deliveries.slice(start, start + INSERT_CHUNK);
      const result = await notificationTables(db)
        .insertInto('webhook_deliveries')
        .values(
          chunk.map((d) => ({
            id: d.id,
            subscription_id: d.subscriptionId,
            event_seq: d.eventSeq,
            event_type: d.eventType,
            attempt: d.attempt,
            status: 'pending' as const,
            next_attempt_at: d.nextAttemptAt,
            created_at: d.createdAt,
          })),
        )
        .onConflict((oc) => oc.columns(['subscription_id', 'event_seq', 'attempt']).doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return inserted;
  });
}

/**
 * Claims up to `limit` pending attempts due at `now` for `nodeId`, leased for `leaseMs`, earliest
 * first; an attempt whose lease ran out (its node died mid-send) is due again. PostgreSQL locks
 * the due rows `FOR UPDATE SKIP LOCKED` so nodes take disjoint sets; SQLite has one writer.
 */
export async function claimDueWebhookDeliveries(
  now: number,
  nodeId: string,
  limit: number,
  leaseMs: number,
  db: Executor,
): Promise<readonly WebhookDeliveryRecord[]> {
  const claim = { claimed_by: nodeId, claimed_until: now + leaseMs };
  const isDue = (eb: ExpressionBuilder<NotificationsDatabase, 'webhook_deliveries'>) =>
    eb.and([
      eb('webhook_deliveries.status', '=', 'pending'),
      eb('webhook_deliveries.next_attempt_at', '<=', now),
      eb.or([
        eb('webhook_deliveries.claimed_until', 'is', null),
        eb('webhook_deliveries.claimed_until', '<=', now),
      ]),
    ]);
  return guard('claim due webhook deliveries', async () => {
    const rows =
      engineOf(db) === 'postgres'
        ? await notificationTables(db)
            .with('due', (qb) =>
              qb
                .selectFrom('webhook_deliveries')
                .select('webhook_deliveries.id')
                .where(isDue)
                .orderBy('webhook_deliveries.next_attempt_at')
                .orderBy('webhook_deliveries.id')
                .limit(limit)
                .forUpdate()
                .skipLocked(),
            )
            .updateTable('webhook_deliveries')
            .set(claim)
            .from('due')
            .whereRef('webhook_deliveries.id', '=', 'due.id')
            .returningAll('webhook_deliveries')
            .execute()
        : await withTransaction(db, (trx) =>
            notificationTables(trx)
              .updateTable('webhook_deliveries')
              .set(claim)
              .where('webhook_deliveries.id', 'in', (eb) =>
                eb
                  .selectFrom('webhook_deliveries')
                  .select('webhook_deliveries.id')
                  .where(isDue)
                  .orderBy('webhook_deliveries.next_attempt_at')
                  .orderBy('webhook_deliveries.id')
                  .limit(limit),
              )
              .returningAll()
              .execute(),
          );
    return Object.freeze(
      rows.map(toDelivery).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || (a.id < b.id ? -1 : 1)),
    );
  });
}

/**
 * Records how a claimed attempt ended. Only the node holding the claim, on a pending attempt, may
 * record it: false when another node took the attempt over (its lease ran out) or it is gone.
 */
export async function recordWebhookAttempt(
  id: string,
  nodeId: string,
  outcome: AttemptOutcome,
  db: Executor,
): Promise<boolean> {
  return guard('record a webhook attempt', async () => {
    const result = await notificationTables(db)
      .updateTable('webhook_deliveries')
      .set({
        status: outcome.status,
        attempted_at: outcome.attemptedAt,
        response_status: outcome.responseStatus ?? null,
        error: outcome.error ?? null,
        delivered_at: outcome.status === 'delivered' ? outcome.attemptedAt : null,
        claimed_until: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('claimed_by', '=', nodeId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

/** One attempt, if it exists. */
export async function getWebhookDelivery(
  id: string,
  db: Executor,
): Promise<WebhookDeliveryRecord | undefined> {
  return guard('read a webhook delivery', async () => {
    const row = await notificationTables(db)
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toDelivery(row);
  });
}

/** A subscription's delivery log, newest first (by creation, then event and attempt). */
export async function listWebhookDeliveries(
  subscriptionId: string,
  limit: number,
  db: Executor,
): Promise<readonly WebhookDeliveryRecord[]> {
  return guard('list webhook deliveries', async () => {
    const rows = await notificationTables(db)
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .orderBy('created_at', 'desc')
      .orderBy('event_seq', 'desc')
      .orderBy('attempt', 'desc')
      .limit(limit)
      .execute();
    return Object.freeze(rows.map(toDelivery));
  });
}

/** The highest attempt number for one subscription and event (0 when none). */
export async function lastWebhookAttempt(
  subscriptionId: string,
  eventSeq: number,
  db: Executor,
): Promise<number> {
  return guard('read the last webhook attempt', async () => {
    const row = await notificationTables(db)
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.max('attempt').as('attempt'))
      .where('subscription_id', '=', subscriptionId)
      .where('event_seq', '=', eventSeq)
      .executeTakeFirst();
    return Number(row?.attempt ?? 0);
  });
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDeliveryRecord {
  return Object.freeze({
    id: row.id,
    subscriptionId: row.subscription_id,
    eventSeq: row.event_seq,
    eventType: row.event_type,
    attempt: row.attempt,
    status: row.status,
    nextAttemptAt: row.next_attempt_at,
    responseStatus: optional(row.response_status),
    error: optional(row.error),
    createdAt: row.created_at,
    attemptedAt: optional(row.attempted_at),
    deliveredAt: optional(row.delivered_at),
    claimedBy: optional(row.claimed_by),
    claimedUntil: optional(row.claimed_until),
  });
}
