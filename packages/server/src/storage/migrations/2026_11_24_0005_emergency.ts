import type { GatehouseMigration } from './migration-types.js';
import { jsonType } from './schema-helpers.js';

/**
 * Emergency windows: time-boxed periods, opened by the admin, in which the named actions pass
 * without review. A window stops applying at `closes_at` by itself; `closed_at` records an early close.
 */
export const emergencyMigration: GatehouseMigration = {
  async up(db, engine) {
    await db.schema
      .createTable('emergency_windows')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('actions', jsonType(engine), (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('opened_by', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'bigint', (c) => c.notNull())
      .addColumn('closes_at', 'bigint', (c) => c.notNull())
      .addColumn('closed_at', 'bigint')
      .addColumn('closed_by', 'text')
      .addPrimaryKeyConstraint('emergency_windows_pkey', ['id'])
      .execute();
    // Submissions ask "which windows are open now" on every `require` decision.
    await db.schema
      .createIndex('emergency_windows_closes_idx')
      .on('emergency_windows')
      .columns(['closes_at'])
      .execute();
  },
};
