// The storage layer: open a database, migrate it, and read and write through the DALs.

export * from './admin-seat-dal.js';
export * from './agents-dal.js';
export * from './api-tokens-dal.js';
export * from './audit-checkpoints-dal.js';
export * from './audit-dal.js';
export type * from './database-types.js';
export * from './database-url.js';
export { guard, toStorageError } from './driver-errors.js';
export * from './grants-dal.js';
export * from './groups-dal.js';
export * from './idempotency-dal.js';
export { GATEHOUSE_MIGRATIONS } from './migrations/gatehouse-migrations.js';
export { migrateToLatest } from './migrations/migrate-to-latest.js';
export type { GatehouseMigration } from './migrations/migration-types.js';
export * from './open-database.js';
export * from './policies-dal.js';
export * from './request-cursor.js';
export * from './requests-dal.js';
export * from './reviews-dal.js';
export * from './sessions-dal.js';
export * from './signing-keys-dal.js';
export * from './storage-engine.js';
export * from './storage-errors.js';
export * from './teams-dal.js';
export * from './timers-dal.js';
export * from './transaction.js';
export * from './users-dal.js';
