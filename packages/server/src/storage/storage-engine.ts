import type { DatabaseIntrospector } from 'kysely';
import { PostgresIntrospector, SqliteIntrospector } from 'kysely';

/** The two database engines Gatehouse runs on. */
export type StorageEngine = 'sqlite' | 'postgres';

/**
 * Which engine a Kysely instance (or transaction) talks to, read from its dialect.
 * For the rare query that must differ, e.g. `FOR UPDATE SKIP LOCKED`.
 */
export function engineOf(db: { readonly introspection: DatabaseIntrospector }): StorageEngine {
  const introspector = db.introspection;
  if (introspector instanceof SqliteIntrospector) return 'sqlite';
  if (introspector instanceof PostgresIntrospector) return 'postgres';
  throw new TypeError('Gatehouse storage supports only the SQLite and PostgreSQL dialects');
}
