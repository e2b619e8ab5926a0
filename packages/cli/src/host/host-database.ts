import { existsSync } from 'node:fs';
import type { OpenDatabase, ServerConfig } from '@gatehouse/server';
import { CliError, EXIT } from '../cli-error.js';
import { loadServer } from '../server-module.js';

/** An open, migrated database of the installation a command works on. */
export interface HostDatabase extends OpenDatabase {
  /** The migrations this open applied (empty when the schema was current). */
  readonly migrations: readonly string[];
}

/**
 * Opens and migrates the configured database. A SQLite file that does not exist yet is made
 * only when `create` is set (`init`): any other command would otherwise leave an empty
 * database behind a mistyped --data-dir.
 */
export async function openHostDatabase(
  config: ServerConfig,
  options: { readonly create?: boolean } = {},
): Promise<HostDatabase> {
  const server = await loadServer();
  const location = server.parseDatabaseUrl(config.databaseUrl);
  if (location.engine === 'sqlite' && !options.create && !existsSync(location.filename)) {
    throw new CliError(
      `no Gatehouse database at ${location.filename}: run gatehouse init (or pass --data-dir)`,
      EXIT.problems,
    );
  }
  const database = await server.openDatabase({ url: config.databaseUrl, maxConnections: 2 });
  try {
    const migrations = await server.migrateToLatest(database.db);
    return Object.freeze({ ...database, migrations: Object.freeze([...migrations]) });
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Runs `work` on the configured database and closes it whatever happens. */
export async function withHostDatabase<T>(
  config: ServerConfig,
  work: (database: HostDatabase) => Promise<T>,
): Promise<T> {
  const database = await openHostDatabase(config);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
