import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { StorageError } from './storage-errors.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';

describe('openDatabase', () => {
  it('opens SQLite durably: WAL, synchronous FULL, foreign keys, busy timeout', async () => {
    const storage = await openTestStorage('sqlite');
    try {
      expect(storage.engine).toBe('sqlite');
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(storage.db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(2); // FULL
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5_000);
    } finally {
      await storage.dispose();
    }
  });

  it('opens an in-memory SQLite database', async () => {
    const open = await openDatabase({ url: ':memory:' });
    try {
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(open.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await open.close();
    }
  });

  it('fails with a StorageError that does not echo the URL when PostgreSQL is unreachable', async () => {
    const error = await openDatabase({ url: 'postgres://postgres:hunter2@127.0.0.1:1/test' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toBe('Storage failed to connect to the database');
    expect((error as StorageError).message).not.toMatch(/hunter2|127\.0\.0\.1/);
    expect((error as StorageError).cause).toBeInstanceOf(Error);
  });

  it('fails with a StorageError when the SQLite file cannot be created', async () => {
    const error = await openDatabase({ url: 'sqlite:/nonexistent-dir/deeper/db.sqlite' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).not.toMatch(/nonexistent|directory/i);
  });
});

for (const engine of ENGINES) {
  describe(`values read back the same on both engines (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('reads bigint times as numbers, JSON as text and flags as 0/1 or boolean', async () => {
      const at = 1_790_000_000_123;
      await storage.db
        .insertInto('users')
        .values({
          id: 'u',
          username: 'u',
          display_name: 'U',
          role: 'user',
          password_hash: null,
          disabled: 1,
          created_at: at,
          locked_until: null,
        })
        .execute();
      const user = await storage.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      expect(user.created_at).toBe(at);
      expect([true, 1]).toContain(user.disabled);
      await storage.db
        .insertInto('signing_keys')
        .values({
          kid: 'k',
          alg: 'EdDSA',
          public_jwk: '{"kty":"OKP","x":"abc"}',
          private_pkcs8: null,
          created_at: at,
          retired_at: null,
        })
        .execute();
      const key = await storage.db.selectFrom('signing_keys').select('public_jwk').executeTakeFirstOrThrow();
      expect(typeof key.public_jwk).toBe('string');
      expect(JSON.parse(key.public_jwk)).toEqual({ kty: 'OKP', x: 'abc' });
    });
  });
}
