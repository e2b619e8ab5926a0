import type { GatehouseMigration } from './migration-types.js';
import { createRefusingTrigger, jsonType } from './schema-helpers.js';

/**
 * The audit log and the keys that sign grants and checkpoints. `audit_events` is
 * append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).
 */
export const auditMigration: GatehouseMigration = {
  async up(db, engine) {
    const json = jsonType(engine);

    await db.schema
      .createTable('audit_events')
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('v', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('data', json, (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_events_pkey', ['seq'])
      .addUniqueConstraint('audit_events_hash_unique', ['hash'])
      .execute();
    // A request's history (the detail page, replay of one subject).
    await db.schema
      .createIndex('audit_events_subject_idx')
      .on('audit_events')
      .columns(['subject', 'seq'])
      .execute();
    for (const event of ['update', 'delete'] as const) {
      await createRefusingTrigger(db, engine, {
        name: `audit_events_no_${event}`,
        table: 'audit_events',
        event,
        rule: 'audit_append_only',
      });
    }

    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('v', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_checkpoints_pkey', ['seq'])
      .addForeignKeyConstraint('audit_checkpoints_event_fkey', ['seq'], 'audit_events', ['seq'])
      .execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('public_jwk', json, (c) => c.notNull())
      .addColumn('private_pkcs8', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('retired_at', 'bigint')
      .addPrimaryKeyConstraint('signing_keys_pkey', ['kid'])
      .execute();
  },
};
