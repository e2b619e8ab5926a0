import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { GatehouseDatabase } from '../database-types.js';
import { toStorageError } from '../driver-errors.js';
import { engineOf } from '../storage-engine.js';
import { MigrationError } from '../storage-errors.js';
import { GATEHOUSE_MIGRATIONS } from './gatehouse-migrations.js';
import type { GatehouseMigration } from './migration-types.js';

/**
 * Applies every migration not applied yet, in name order, all in one transaction on
 * both engines (so a failure leaves the schema as it was), and returns the names applied.
 * Several nodes may call it at once: PostgreSQL serialises them with an advisory lock,
 * SQLite with its write lock. A failure throws a `MigrationError` naming the migration.
 * @example await migrateToLatest(db); // on start, before serving
 */
export async function migrateToLatest(
  db: Kysely<GatehouseDatabase>,
  migrations: Readonly<Record<string, GatehouseMigration>> = GATEHOUSE_MIGRATIONS,
): Promise<readonly string[]> {
  const engine = engineOf(db);
  let migrator: Migrator;
  try {
    migrator = new Migrator({
      db,
      provider: { getMigrations: async () => forEngine(migrations, engine) },
      // Kysely's own bookkeeping tables would otherwise be looked up in every schema of
      // the server; pin them to the schema this connection writes to.
      migrationTableSchema: engine === 'postgres' ? await currentSchema(db) : undefined,
    });
  } catch (error) {
    throw toStorageError('migrate the database', error);
  }
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    if (failed !== undefined) throw new MigrationError(failed.migrationName, error);
    throw toStorageError('migrate the database', error);
  }
  return Object.freeze(results.map((result) => result.migrationName));
}

function forEngine(
  migrations: Readonly<Record<string, GatehouseMigration>>,
  engine: ReturnType<typeof engineOf>,
): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(migrations).map(([name, migration]) => [
      name,
      { up: (db: Kysely<unknown>) => migration.up(db, engine) },
    ]),
  );
}

async function currentSchema(db: Kysely<GatehouseDatabase>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}
