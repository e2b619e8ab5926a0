import type { Kysely } from 'kysely';
import type { StorageEngine } from '../storage-engine.js';

/**
 * One migration. The same code runs on both engines; `engine` is there for the few
 * places they differ (JSON and flag column types, triggers). Migrations are append-only:
 * once landed, a migration and the helpers it calls are never edited.
 */
export interface GatehouseMigration {
  up(db: Kysely<unknown>, engine: StorageEngine): Promise<void>;
}
