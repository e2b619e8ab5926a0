import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { GatehouseDatabase } from './database-types.js';
import { parseDatabaseUrl } from './database-url.js';
import { toStorageError } from './driver-errors.js';
import { DurableSqliteDialect } from './durable-sqlite-dialect.js';
import type { StorageEngine } from './storage-engine.js';

/** How to reach the database. */
export interface DatabaseConfig {
  /** `sqlite:<path>`, a bare path, `:memory:`, or `postgres://user@host:port/db`. */
  readonly url: string;
  /** PostgreSQL pool size (default 10). SQLite always has one connection. */
  readonly maxConnections?: number;
}

/** An open database: the Kysely instance, which engine it is, and how to close it. */
export interface OpenDatabase {
  readonly db: Kysely<GatehouseDatabase>;
  readonly engine: StorageEngine;
  close(): Promise<void>;
}

/** How long a SQLite writer waits for another connection's write lock before SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens the database a URL names. Does not migrate: call `migrateToLatest(db)` next.
 * PostgreSQL is reached once here, so a wrong URL fails at start rather than at the first request.
 * @example const { db, close } = await openDatabase({ url: 'sqlite:./gatehouse.sqlite' });
 */
export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  const location = parseDatabaseUrl(config.url);
  if (location.engine === 'sqlite') return openSqlite(location.filename);
  return openPostgres(location.connectionString, config.maxConnections ?? 10);
}

function openSqlite(filename: string): OpenDatabase {
  let database: Database.Database;
  try {
    database = new Database(filename);
    // WAL lets readers run beside the writer; FULL makes every commit durable (a decision
    // that was answered must survive a power cut); foreign keys are off by default in SQLite.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  } catch (error) {
    throw toStorageError('open the database', error);
  }
  const db = new Kysely<GatehouseDatabase>({ dialect: new DurableSqliteDialect({ database }) });
  const close = async () => {
    await db.destroy();
    // Kysely closes only a driver it has used; a database opened and never queried
    // would keep its file handle.
    if (database.open) database.close();
  };
  return Object.freeze({ db, engine: 'sqlite', close });
}

async function openPostgres(connectionString: string, max: number): Promise<OpenDatabase> {
  const pool = new pg.Pool({ connectionString, max, types: { getTypeParser: gatehouseTypeParser } });
  // An idle connection that breaks (server restart) is dropped by the pool; without a
  // listener the 'error' event would crash the process. The next query reconnects or fails
  // as a StorageError, so nothing is lost by not acting here.
  pool.on('error', () => {});
  const db = new Kysely<GatehouseDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw toStorageError('connect to the database', error);
  }
  return Object.freeze({ db, engine: 'postgres', close: () => db.destroy() });
}

const { builtins } = pg.types;

/**
 * Makes PostgreSQL return what SQLite returns: bigint (times, sequence numbers) as a
 * JS number, and json/jsonb as their text, parsed by the DALs like SQLite's text columns.
 */
function gatehouseTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === builtins.INT8) return parseSafeInteger;
  if (oid === builtins.JSONB || oid === builtins.JSON) return (value) => value;
  return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
}

function parseSafeInteger(value: string): number {
  const parsed = Number(value);
  // Millisecond times and audit sequence numbers stay far below 2^53; a larger value is
  // corruption, and rounding it silently would be worse than failing the query.
  if (!Number.isSafeInteger(parsed)) throw new RangeError('A bigint column holds a value beyond 2^53');
  return parsed;
}
