import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  getSession,
  insertSession,
  type SessionRecord,
  touchSession,
} from './sessions-dal.js';
import { aUser } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';
import { createUser } from './users-dal.js';

const session = (id: string, expiresAt: number): SessionRecord => ({
  id,
  userId: 'alice',
  csrfTokenHash: `csrf-${id}`,
  createdAt: 1_000,
  expiresAt,
  lastSeenAt: 1_000,
});

for (const engine of ENGINES) {
  describe(`sessions (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      await createUser(aUser({ id: 'alice', username: 'alice' }), storage.db);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('reads a session only until it expires, and slides it on use', async () => {
      await insertSession(session('s1', 10_000), storage.db);
      expect(await getSession('s1', 9_999, storage.db)).toEqual(session('s1', 10_000));
      expect(await getSession('s1', 10_000, storage.db)).toBeUndefined();
      expect(await touchSession('s1', 9_000, 20_000, storage.db)).toBe(true);
      expect(await getSession('s1', 15_000, storage.db)).toMatchObject({
        lastSeenAt: 9_000,
        expiresAt: 20_000,
      });
      expect(await touchSession('nope', 9_000, 20_000, storage.db)).toBe(false);
    });

    it('ends one, all of a user’s, or the expired sessions', async () => {
      await insertSession(session('s2', 5_000), storage.db);
      await insertSession(session('s3', 50_000), storage.db);
      expect(await deleteExpiredSessions(6_000, storage.db)).toBe(1);
      await deleteSession('s3', storage.db);
      expect(await getSession('s3', 0, storage.db)).toBeUndefined();
      expect(await deleteUserSessions('alice', storage.db)).toBe(1); // s1 is left
      expect(await getSession('s1', 0, storage.db)).toBeUndefined();
    });
  });
}
