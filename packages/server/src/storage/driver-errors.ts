import { GatehouseError } from '@gatehouse/core';
import { ConflictError, IntegrityError, StorageError } from './storage-errors.js';
import { uniqueKeyFromSqlite } from './unique-keys.js';

/** The prefix our refusing triggers put before the rule name, on both engines. */
export const REFUSAL_PREFIX = 'gatehouse:';

// SQLSTATEs (PostgreSQL) and extended result codes (better-sqlite3) we tell apart.
const PG_UNIQUE = '23505';
// Foreign keys and not-null are named generically so both engines report the same rule.
const PG_INTEGRITY: ReadonlyMap<string, string | undefined> = new Map([
  ['23503', 'foreign_key'],
  ['23502', 'not_null'],
  ['23514', undefined],
  ['P0001', undefined],
]);
const PG_BUSY = new Set(['40001', '40P01', '55P03']);
const SQLITE_UNIQUE = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const SQLITE_BUSY = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT']);

interface DriverErrorShape {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly message?: unknown;
}

/**
 * Turns whatever a driver threw into a `StorageError` (or `ConflictError`, `IntegrityError`)
 * whose message holds no SQL or driver text. Gatehouse errors pass through unchanged.
 */
export function toStorageError(operation: string, error: unknown): GatehouseError {
  if (error instanceof GatehouseError) return error;
  const shape: DriverErrorShape = typeof error === 'object' && error !== null ? error : {};
  const code = typeof shape.code === 'string' ? shape.code : '';
  const message = typeof shape.message === 'string' ? shape.message : '';
  const refusal = refusedRule(message);

  if (code === PG_UNIQUE) return new ConflictError(operation, stringOr(shape.constraint, 'unknown'), error);
  if (SQLITE_UNIQUE.has(code)) return new ConflictError(operation, uniqueKeyFromSqlite(message), error);
  if (PG_INTEGRITY.has(code)) {
    const rule = refusal ?? PG_INTEGRITY.get(code) ?? stringOr(shape.constraint, 'unknown');
    return new IntegrityError(operation, rule, error);
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new IntegrityError(operation, refusal ?? sqliteRule(code, message), error);
  }
  if (PG_BUSY.has(code) || SQLITE_BUSY.has(code)) {
    return new StorageError(operation, error, {
      code: 'storage-busy',
      message: `Storage was busy and could not ${operation}; try again`,
      data: { retryable: true },
    });
  }
  return new StorageError(operation, error);
}

/**
 * Runs one storage operation and wraps what it throws.
 * @example return guard('insert review', () => db.insertInto('reviews').values(row).execute());
 */
export async function guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toStorageError(operation, error);
  }
}

function refusedRule(message: string): string | undefined {
  const at = message.indexOf(REFUSAL_PREFIX);
  if (at < 0) return undefined;
  return /^[a-z0-9_]+/.exec(message.slice(at + REFUSAL_PREFIX.length))?.[0];
}

/** SQLite names a check constraint (`CHECK constraint failed: users_role_check`) but not a foreign key. */
function sqliteRule(code: string, message: string): string {
  if (code === 'SQLITE_CONSTRAINT_CHECK') {
    return /constraint failed: ([a-z0-9_]+)$/.exec(message)?.[1] ?? 'check';
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign_key';
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') return 'not_null';
  return 'constraint';
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
