import { sql } from 'kysely';
import type { GatehouseMigration } from './migration-types.js';
import { flagType, jsonType, withFlagCheck } from './schema-helpers.js';

/**
 * Notifications and summaries: users' email addresses, request summaries, webhook
 * subscriptions, their cursors into the audit log (the durable outbox), and the delivery log
 * (one row per attempt), and the email log (one row per event and recipient, which is also the
 * claim that lets exactly one node send it). The database keeps a delivery attempt unique per
 * subscription and event.
 */
export const notificationsMigration: GatehouseMigration = {
  async up(db, engine) {
    const json = jsonType(engine);

    await db.schema.alterTable('users').addColumn('email', 'text').execute();

    await db.schema
      .createTable('request_summaries')
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('risk', 'text', (c) => c.notNull())
      .addColumn('signals', json, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('request_summaries_pkey', ['request_id'])
      .addCheckConstraint('request_summaries_risk_check', sql`risk in ('low', 'medium', 'high', 'critical')`)
      .addForeignKeyConstraint('request_summaries_request_fkey', ['request_id'], 'requests', ['id'])
      .execute();

    await db.schema
      .createTable('webhook_subscriptions')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('event_types', json, (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('active', flagType(engine), (c) => c.notNull().defaultTo(sql`true`))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_subscriptions_pkey', ['id'])
      .$call((b) => withFlagCheck(b, engine, 'webhook_subscriptions', 'active'))
      .execute();

    // The last audit seq turned into deliveries for a subscription; the log itself is the outbox.
    await db.schema
      .createTable('webhook_cursors')
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_cursors_pkey', ['subscription_id'])
      .addForeignKeyConstraint(
        'webhook_cursors_subscription_fkey',
        ['subscription_id'],
        'webhook_subscriptions',
        ['id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('event_seq', 'bigint', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('attempted_at', 'bigint')
      .addColumn('delivered_at', 'bigint')
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_until', 'bigint')
      .addPrimaryKeyConstraint('webhook_deliveries_pkey', ['id'])
      .addUniqueConstraint('webhook_deliveries_attempt_unique', ['subscription_id', 'event_seq', 'attempt'])
      .addCheckConstraint(
        'webhook_deliveries_status_check',
        sql`status in ('pending', 'delivered', 'failed', 'dead')`,
      )
      .addForeignKeyConstraint(
        'webhook_deliveries_subscription_fkey',
        ['subscription_id'],
        'webhook_subscriptions',
        ['id'],
        (fk) => fk.onDelete('cascade'),
      )
      .addForeignKeyConstraint('webhook_deliveries_event_fkey', ['event_seq'], 'audit_events', ['seq'])
      .execute();
    // The dispatcher's queue: due pending attempts; the delivery log: a subscription's newest first.
    await db.schema
      .createIndex('webhook_deliveries_due_idx')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_subscription_idx')
      .on('webhook_deliveries')
      .columns(['subscription_id', 'created_at'])
      .execute();

    // One row per (event, recipient): the claim that makes one node send that email, and its log.
    await db.schema
      .createTable('email_notifications')
      .addColumn('event_seq', 'bigint', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('sent_at', 'bigint')
      .addPrimaryKeyConstraint('email_notifications_pkey', ['event_seq', 'user_id'])
      .addCheckConstraint('email_notifications_status_check', sql`status in ('sending', 'sent', 'failed')`)
      .addForeignKeyConstraint('email_notifications_event_fkey', ['event_seq'], 'audit_events', ['seq'])
      .execute();
  },
};
