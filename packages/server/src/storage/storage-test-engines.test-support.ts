import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest } from './migrations/migrate-to-latest.js';
import { type OpenDatabase, openDatabase } from './open-database.js';
import type { StorageEngine } from './storage-engine.js';

// Test support for the storage suite (imported by *.test.ts only). Every test file runs
// over ENGINES; PostgreSQL is required: if it is unreachable the suite fails, never skips.

/** The engines every storage test runs on. */
export const ENGINES: readonly StorageEngine[] = Object.freeze(['sqlite', 'postgres']);

/** The PostgreSQL server the suite uses (trust auth). Each run gets its own schema in it. */
export const POSTGRES_TEST_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** An empty database for one test file, and how to throw it away. */
export interface TestDatabase {
  readonly engine: StorageEngine;
  /** Opens it (each call is another connection or pool, like another node). */
  readonly url: string;
  drop(): Promise<void>;
}

/** A migrated, open test database. */
export interface TestStorage extends OpenDatabase {
  readonly url: string;
  /** Closes the connection and drops the database. */
  dispose(): Promise<void>;
}

/** Creates an empty database: a temp SQLite file, or a fresh `gh_test_*` PostgreSQL schema. */
export async function createTestDatabase(engine: StorageEngine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-storage-'));
    return {
      engine,
      url: `sqlite:${join(dir, 'gatehouse.sqlite')}`,
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const run = process.env.GATEHOUSE_TEST_RUN;
  const schema = `gh_test_${run === undefined ? '' : `${run}_`}${randomBytes(6).toString('hex')}`;
  await onPostgres(`create schema ${schema}`);
  return {
    engine,
    // Every pooled connection starts with search_path set to the schema, via the
    // `options` startup parameter, so the code under test never names it.
    url: `${POSTGRES_TEST_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    // Within a suite run, schemas are dropped all together when it ends (the global
    // teardown): a schema dropped mid-run makes PostgreSQL's catalogue scans in other test
    // files (Kysely's introspection, the migrator's table check) fail on the vanished schema.
    drop: () => (run === undefined ? onPostgres(`drop schema ${schema} cascade`) : Promise.resolve()),
  };
}

/** Creates, opens and migrates a fresh database. */
export async function openTestStorage(engine: StorageEngine): Promise<TestStorage> {
  const database = await createTestDatabase(engine);
  const open = await openDatabase({ url: database.url });
  await migrateToLatest(open.db);
  return {
    ...open,
    url: database.url,
    async dispose() {
      await open.close();
      await database.drop();
    },
  };
}

async function onPostgres(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
