import type { GatehouseMigration } from './migration-types.js';

/**
 * What an idempotency key was sent with: the hash of the canonical submission body, so the same
 * key with a different body is refused instead of answered with the first request (and its
 * grant). Submissions record their keys here from now on, not in `requests.idempotency_key`:
 * a key must be reusable once its window has passed, which that column's unique constraint
 * forbids. Keys recorded only in that column before this migration are no longer consulted.
 * Nullable because a column added to existing rows has no value to give them.
 */
export const idempotencyBodyMigration: GatehouseMigration = {
  async up(db) {
    await db.schema.alterTable('idempotency').addColumn('body_hash', 'text').execute();
  },
};
