import { GatehouseError } from '@gatehouse/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from './admin-seat-dal.js';
import { createAgent } from './agents-dal.js';
import { guard, toStorageError } from './driver-errors.js';
import { openDatabase } from './open-database.js';
import { ConflictError, IntegrityError, StorageError } from './storage-errors.js';
import { aUser } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';
import { setTeamMember } from './teams-dal.js';
import { uniqueKeyFromSqlite } from './unique-keys.js';
import { createUser, getUser } from './users-dal.js';

/** Words that would mean SQL or driver text reached the message. */
const LEAKS =
  /select |insert into|update |delete from|violates|constraint failed|sqlite|duplicate key|relation |syntax|pl\/pgsql|users\.|\$1/i;

const pgError = (code: string, message: string, constraint?: string) =>
  Object.assign(new Error(message), { code, constraint });
const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('toStorageError', () => {
  it.each([
    [
      pgError(
        '23505',
        'duplicate key value violates unique constraint "users_username_unique"',
        'users_username_unique',
      ),
      ConflictError,
      'users_username_unique',
    ],
    [
      sqliteError('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: users.username'),
      ConflictError,
      'users_username_unique',
    ],
    [
      sqliteError(
        'SQLITE_CONSTRAINT_PRIMARYKEY',
        'UNIQUE constraint failed: reviews.request_id, reviews.reviewer_id',
      ),
      ConflictError,
      'reviews_pkey',
    ],
    [
      pgError('23503', 'insert or update on table "x" violates foreign key constraint "x_fkey"', 'x_fkey'),
      IntegrityError,
      'foreign_key',
    ],
    [
      sqliteError('SQLITE_CONSTRAINT_FOREIGNKEY', 'FOREIGN KEY constraint failed'),
      IntegrityError,
      'foreign_key',
    ],
    [
      pgError(
        '23514',
        'new row for relation "users" violates check constraint "users_role_check"',
        'users_role_check',
      ),
      IntegrityError,
      'users_role_check',
    ],
    [
      sqliteError('SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed: users_role_check'),
      IntegrityError,
      'users_role_check',
    ],
    [pgError('P0001', 'gatehouse:audit_append_only'), IntegrityError, 'audit_append_only'],
    [
      sqliteError('SQLITE_CONSTRAINT_TRIGGER', 'gatehouse:admin_seat_required'),
      IntegrityError,
      'admin_seat_required',
    ],
  ])('maps %s', (driverError, type, name) => {
    const mapped = toStorageError('do a thing', driverError);
    expect(mapped).toBeInstanceOf(type);
    expect(mapped instanceof ConflictError ? mapped.constraint : (mapped as IntegrityError).rule).toBe(name);
    expect(mapped.message).not.toMatch(LEAKS);
    expect(mapped.cause).toBe(driverError);
  });

  it('marks lock and serialisation failures as retryable', () => {
    for (const error of [
      pgError('40001', 'could not serialize access'),
      sqliteError('SQLITE_BUSY', 'database is locked'),
    ]) {
      const mapped = toStorageError('claim due timers', error);
      expect(mapped.code).toBe('storage-busy');
      expect(mapped.data.retryable).toBe(true);
    }
  });

  it('wraps anything else generically, and passes Gatehouse errors through', () => {
    const odd = toStorageError('read a user', new TypeError('Cannot read properties of undefined'));
    expect(odd).toBeInstanceOf(StorageError);
    expect(odd.message).toBe('Storage failed to read a user');
    expect(odd.name).toBe('StorageError');
    const ours = new GatehouseError('x', 'already ours');
    expect(toStorageError('read a user', ours)).toBe(ours);
    expect(toStorageError('read a user', 'a string').message).toBe('Storage failed to read a user');
  });

  it('names unknown SQLite keys "unknown" rather than guessing', () => {
    expect(uniqueKeyFromSqlite('UNIQUE constraint failed: other.col')).toBe('unknown');
    expect(uniqueKeyFromSqlite("UNIQUE constraint failed: index 'users_lower_username'")).toBe(
      'users_lower_username',
    );
    expect(uniqueKeyFromSqlite('something else')).toBe('unknown');
  });
});

for (const engine of ENGINES) {
  describe(`storage errors from the real driver (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      await createUser(aUser({ id: 'alice', username: 'alice' }), storage.db);
      await bootstrapAdmin('alice', storage.db);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('never carry SQL or driver text in the message; the driver error is the cause', async () => {
      const failures: (() => Promise<unknown>)[] = [
        () => createUser(aUser({ username: 'alice' }), storage.db),
        () => setTeamMember('t-none', 'alice', 'member', storage.db),
        () =>
          createAgent(
            { id: 'a', name: 'a', owner: { kind: 'team', id: 't-none' }, createdAt: 1 },
            storage.db,
          ),
        () => bootstrapAdmin('alice', storage.db),
        () => guard('remove the admin', () => storage.db.deleteFrom('admin_seat').execute()),
        () =>
          guard('run a broken query', () =>
            storage.db
              .selectFrom('users')
              .select('id')
              .where('nope' as 'id', '=', 'x')
              .execute(),
          ),
      ];
      for (const failure of failures) {
        const error = await failure().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(StorageError);
        const storageError = error as StorageError;
        expect(storageError.message).not.toMatch(LEAKS);
        const cause = storageError.cause as Error;
        expect(cause).toBeInstanceOf(Error);
        expect(storageError.message).not.toContain(cause.message);
        expect(JSON.stringify(storageError.data)).not.toMatch(LEAKS);
      }
    });

    it('wraps failures of a closed database too', async () => {
      const other = await openDatabase({ url: storage.url });
      await other.close();
      const error = await getUser('alice', other.db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).message).toBe('Storage failed to read a user');
    });
  });
}
