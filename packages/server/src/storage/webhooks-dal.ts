import type { Selectable } from 'kysely';
import { guard } from './driver-errors.js';
import { notificationTables, type WebhookSubscriptionsTable } from './notification-tables.js';
import { flag, fromJson, isSet, toJson } from './row-values.js';
import { engineOf } from './storage-engine.js';
import type { Executor } from './transaction.js';

/** A webhook subscription as stored, secret included: only the dispatcher and creation see it. */
export interface WebhookSubscriptionRecord {
  readonly id: string;
  readonly url: string;
  /** Audit event types to send (`request.created`, …); `*` for all. */
  readonly eventTypes: readonly string[];
  /** `whsec_` and base64: signs every delivery. Never logged, listed or audited. */
  readonly secret: string;
  readonly active: boolean;
  readonly createdAt: number;
  readonly createdBy: string;
}

/**
 * Stores a subscription and its cursor into the audit log: it receives events after `fromSeq`
 * only. A taken id is a `ConflictError` (`webhook_subscriptions_pkey`).
 */
export async function insertWebhookSubscription(
  subscription: WebhookSubscriptionRecord,
  fromSeq: number,
  db: Executor,
): Promise<void> {
  await guard('create a webhook subscription', async () => {
    const tables = notificationTables(db);
    await tables
      .insertInto('webhook_subscriptions')
      .values({
        id: subscription.id,
        url: subscription.url,
        event_types: toJson(subscription.eventTypes),
        secret: subscription.secret,
        active: flag(subscription.active),
        created_at: subscription.createdAt,
        created_by: subscription.createdBy,
      })
      .execute();
    await tables
      .insertInto('webhook_cursors')
      .values({ subscription_id: subscription.id, last_seq: fromSeq })
      .execute();
  });
}

/** The subscription with this id, if any. */
export async function getWebhookSubscription(
  id: string,
  db: Executor,
): Promise<WebhookSubscriptionRecord | undefined> {
  return guard('read a webhook subscription', async () => {
    const row = await notificationTables(db)
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toSubscription(row);
  });
}

/** Every subscription, oldest first; `activeOnly` for the dispatcher. */
export async function listWebhookSubscriptions(
  db: Executor,
  options: { readonly activeOnly?: boolean } = {},
): Promise<readonly WebhookSubscriptionRecord[]> {
  return guard('list webhook subscriptions', async () => {
    let query = notificationTables(db).selectFrom('webhook_subscriptions').selectAll();
    if (options.activeOnly) query = query.where('active', '=', flag(true));
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return Object.freeze(rows.map(toSubscription));
  });
}

/** Removes a subscription with its cursor and delivery log; false when there was none. */
export async function deleteWebhookSubscription(id: string, db: Executor): Promise<boolean> {
  return guard('delete a webhook subscription', async () => {
    const tables = notificationTables(db);
    // Explicit deletes rather than relying on ON DELETE CASCADE, which SQLite applies only with foreign_keys on.
    await tables.deleteFrom('webhook_deliveries').where('subscription_id', '=', id).execute();
    await tables.deleteFrom('webhook_cursors').where('subscription_id', '=', id).execute();
    const result = await tables.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  });
}

/**
 * Locks a subscription's cursor for the caller's transaction and returns the last seq enqueued;
 * undefined when the subscription is gone or, on PostgreSQL, another node holds the cursor now
 * (`FOR UPDATE SKIP LOCKED`: that node is enqueueing it, this one moves on). SQLite has one
 * writer, so the transaction itself is the lock. Call inside `withTransaction`.
 */
export async function lockWebhookCursor(subscriptionId: string, trx: Executor): Promise<number | undefined> {
  return guard('lock a webhook cursor', async () => {
    let query = notificationTables(trx)
      .selectFrom('webhook_cursors')
      .select('last_seq')
      .where('subscription_id', '=', subscriptionId);
    if (engineOf(trx) === 'postgres') query = query.forUpdate().skipLocked();
    const row = await query.executeTakeFirst();
    return row?.last_seq;
  });
}

/** Moves a subscription's cursor to `lastSeq` (in the transaction that enqueued up to it). */
export async function setWebhookCursor(subscriptionId: string, lastSeq: number, db: Executor): Promise<void> {
  await guard('move a webhook cursor', () =>
    notificationTables(db)
      .updateTable('webhook_cursors')
      .set({ last_seq: lastSeq })
      .where('subscription_id', '=', subscriptionId)
      .execute(),
  );
}

function toSubscription(row: Selectable<WebhookSubscriptionsTable>): WebhookSubscriptionRecord {
  return Object.freeze({
    id: row.id,
    url: row.url,
    eventTypes: Object.freeze(fromJson<string[]>(row.event_types)),
    secret: row.secret,
    active: isSet(row.active),
    createdAt: row.created_at,
    createdBy: row.created_by,
  });
}
