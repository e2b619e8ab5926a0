import { sql } from 'kysely';
import type { GatehouseMigration } from './migration-types.js';
import { flagType, jsonType, withFlagCheck } from './schema-helpers.js';

/**
 * The approval flow: policy versions, requests, reviews, grants, idempotency keys, timers.
 * The database itself guarantees one active policy, one vote per person per request
 * and one grant per request.
 */
export const requestsMigration: GatehouseMigration = {
  async up(db, engine) {
    const json = jsonType(engine);

    await db.schema
      .createTable('policies')
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('active', flagType(engine), (c) => c.notNull().defaultTo(sql`false`))
      .addPrimaryKeyConstraint('policies_pkey', ['version'])
      .$call((b) => withFlagCheck(b, engine, 'policies', 'active'))
      .execute();
    // At most one active version: a unique index over the rows where active is true.
    await db.schema
      .createIndex('policies_one_active')
      .on('policies')
      .column('active')
      .unique()
      .where(sql<boolean>`active = true`)
      .execute();

    await db.schema
      .createTable('requests')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('v', 'integer', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('params', json, (c) => c.notNull())
      .addColumn('context', json, (c) => c.notNull())
      .addColumn('payload_hash', 'text', (c) => c.notNull())
      .addColumn('requester_kind', 'text', (c) => c.notNull())
      .addColumn('requester_id', 'text', (c) => c.notNull())
      .addColumn('on_behalf_of', 'text')
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('risk', 'text', (c) => c.notNull())
      .addColumn('team', 'text')
      .addColumn('stage_index', 'integer', (c) => c.notNull())
      .addColumn('requirement', json, (c) => c.notNull())
      .addColumn('snapshot', json, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('decided_at', 'bigint')
      .addColumn('idempotency_key', 'text')
      .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('requests_pkey', ['id'])
      .addUniqueConstraint('requests_idempotency_unique', [
        'requester_kind',
        'requester_id',
        'idempotency_key',
      ])
      .addCheckConstraint('requests_requester_kind_check', sql`requester_kind in ('user', 'agent')`)
      .addCheckConstraint(
        'requests_status_check',
        sql`status in ('pending', 'approved', 'denied', 'expired', 'cancelled')`,
      )
      .addCheckConstraint('requests_risk_check', sql`risk in ('low', 'medium', 'high', 'critical')`)
      .execute();
    // The queue: pending work by expiry and by age; the list view: newest first.
    await db.schema
      .createIndex('requests_status_expires_idx')
      .on('requests')
      .columns(['status', 'expires_at'])
      .execute();
    await db.schema
      .createIndex('requests_status_created_idx')
      .on('requests')
      .columns(['status', 'created_at'])
      .execute();
    await db.schema
      .createIndex('requests_created_idx')
      .on('requests')
      .columns(['created_at', 'id'])
      .execute();

    await db.schema
      .createTable('reviews')
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('reviewer_id', 'text', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('stage', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('reviews_pkey', ['request_id', 'reviewer_id'])
      .addCheckConstraint('reviews_decision_check', sql`decision in ('approve', 'deny')`)
      .addForeignKeyConstraint('reviews_request_fkey', ['request_id'], 'requests', ['id'])
      .execute();

    await db.schema
      .createTable('grants')
      .addColumn('jti', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('payload_hash', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('consumed_at', 'bigint')
      .addPrimaryKeyConstraint('grants_pkey', ['jti'])
      .addUniqueConstraint('grants_request_unique', ['request_id'])
      .addForeignKeyConstraint('grants_request_fkey', ['request_id'], 'requests', ['id'])
      .execute();

    await db.schema
      .createTable('idempotency')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('principal', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_pkey', ['principal', 'key'])
      .addForeignKeyConstraint('idempotency_request_fkey', ['request_id'], 'requests', ['id'])
      .execute();

    await db.schema
      .createTable('timers')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('due_at', 'bigint', (c) => c.notNull())
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_until', 'bigint')
      .addPrimaryKeyConstraint('timers_pkey', ['id'])
      .addCheckConstraint('timers_kind_check', sql`kind in ('expire', 'escalate')`)
      .addForeignKeyConstraint('timers_request_fkey', ['request_id'], 'requests', ['id'])
      .execute();
    await db.schema.createIndex('timers_due_idx').on('timers').column('due_at').execute();
  },
};
