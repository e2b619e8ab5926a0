import type { Kysely } from 'kysely';
import type { EpochMs, Flag, GatehouseDatabase, Json } from './database-types.js';
import type { Executor } from './transaction.js';

// The tables of migration 2026_11_24_0004 (notifications), as Kysely sees them. Kept apart from
// `database-types.ts` until they are folded in there; the DALs reach them with `notificationTables`.

/** `users.email`: where a user gets mail (nullable; added by the notifications migration). */
export interface UserEmailColumn {
  email: string | null;
}

/** `request_summaries`: one advisory summary per request, written off the request path. */
export interface RequestSummariesTable {
  request_id: string;
  source: string;
  text: string;
  risk: 'low' | 'medium' | 'high' | 'critical';
  signals: Json;
  created_at: EpochMs;
}

/** `webhook_subscriptions`: where events are sent, which ones, and the signing secret. */
export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  event_types: Json;
  secret: string;
  active: Flag;
  created_at: EpochMs;
  created_by: string;
}

/** `webhook_cursors`: the last audit seq turned into deliveries, per subscription. */
export interface WebhookCursorsTable {
  subscription_id: string;
  last_seq: number;
}

/** `webhook_deliveries`: one row per delivery attempt (the delivery log). */
export interface WebhookDeliveriesTable {
  id: string;
  subscription_id: string;
  event_seq: number;
  event_type: string;
  attempt: number;
  status: 'pending' | 'delivered' | 'failed' | 'dead';
  next_attempt_at: EpochMs;
  response_status: number | null;
  error: string | null;
  created_at: EpochMs;
  attempted_at: EpochMs | null;
  delivered_at: EpochMs | null;
  claimed_by: string | null;
  claimed_until: EpochMs | null;
}

/** `email_notifications`: one email per (event, recipient): the sending node's claim and the log. */
export interface EmailNotificationsTable {
  event_seq: number;
  user_id: string;
  status: 'sending' | 'sent' | 'failed';
  error: string | null;
  created_at: EpochMs;
  sent_at: EpochMs | null;
}

/** The notification tables, to merge into the schema (a type alias: `withTables` wants an index signature). */
export type NotificationTables = {
  users: UserEmailColumn;
  request_summaries: RequestSummariesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_cursors: WebhookCursorsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  email_notifications: EmailNotificationsTable;
};

/** The whole schema with the notification tables. */
export type NotificationsDatabase = GatehouseDatabase & NotificationTables;

/**
 * The same database or transaction, typed with the notification tables, for building queries.
 * Open transactions on the original executor (`withTransaction(db, …)`), never on this view:
 * SQLite's group commit is kept per Kysely instance.
 */
export function notificationTables(db: Executor): Kysely<NotificationsDatabase> {
  return db.withTables<NotificationTables>() as unknown as Kysely<NotificationsDatabase>;
}
