import { guard } from './driver-errors.js';
import { type EmailNotificationsTable, notificationTables } from './notification-tables.js';
import type { Executor } from './transaction.js';

/** Where one email stands: claimed by a node and being sent, sent, or failed. */
export type EmailStatus = EmailNotificationsTable['status'];

/** One email of the log: which event, to whom, and how it went. */
export interface EmailNotificationRecord {
  readonly eventSeq: number;
  readonly userId: string;
  readonly status: EmailStatus;
  readonly error?: string;
  readonly createdAt: number;
  readonly sentAt?: number;
}

/**
 * Claims the email about event `eventSeq` to `userId` for this node: true when this call claimed
 * it (send it), false when some node already did (several nodes see every event).
 */
export async function claimEmailNotification(
  eventSeq: number,
  userId: string,
  now: number,
  db: Executor,
): Promise<boolean> {
  return guard('claim an email notification', async () => {
    const result = await notificationTables(db)
      .insertInto('email_notifications')
      .values({ event_seq: eventSeq, user_id: userId, status: 'sending', created_at: now })
      .onConflict((oc) => oc.columns(['event_seq', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  });
}

/** Records how a claimed email went. */
export async function recordEmailNotification(
  eventSeq: number,
  userId: string,
  outcome: { readonly status: Exclude<EmailStatus, 'sending'>; readonly at: number; readonly error?: string },
  db: Executor,
): Promise<void> {
  await guard('record an email notification', () =>
    notificationTables(db)
      .updateTable('email_notifications')
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        sent_at: outcome.status === 'sent' ? outcome.at : null,
      })
      .where('event_seq', '=', eventSeq)
      .where('user_id', '=', userId)
      .execute(),
  );
}

/** The emails sent (or tried) about one event, by recipient. */
export async function listEmailNotifications(
  eventSeq: number,
  db: Executor,
): Promise<readonly EmailNotificationRecord[]> {
  return guard('list email notifications', async () => {
    const rows = await notificationTables(db)
      .selectFrom('email_notifications')
      .selectAll()
      .where('event_seq', '=', eventSeq)
      .orderBy('user_id')
      .execute();
    return Object.freeze(
      rows.map((row) =>
        Object.freeze({
          eventSeq: row.event_seq,
          userId: row.user_id,
          status: row.status,
          ...(row.error === null ? {} : { error: row.error }),
          createdAt: row.created_at,
          ...(row.sent_at === null ? {} : { sentAt: row.sent_at }),
        }),
      ),
    );
  });
}
