import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../domain-errors.js';
import { getAdmin } from '../storage/admin-seat-dal.js';
import { openDatabase } from '../storage/open-database.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { createUser, getUserByUsername, listUsers } from '../storage/users-dal.js';
import { bootstrapAdmin } from './bootstrap-admin.js';
import { auditEvents, rejectionOf, TEST_PASSWORDS } from './identity-fixtures.test-support.js';
import { createLoginLimiter } from './login-limiter.js';
import { login } from './login-service.js';

const NOW = 1_700_000_000_000;
const deps = { passwords: TEST_PASSWORDS };

for (const engine of ENGINES) {
  describe(`bootstrapAdmin (${engine})`, () => {
    let storage: TestStorage;

    beforeEach(async () => {
      storage = await openTestStorage(engine);
    });
    afterEach(async () => {
      await storage?.dispose();
    });

    it('creates the configured admin once, audited, and does nothing the second time', async () => {
      const first = await bootstrapAdmin(
        { username: 'root', password: 'a long enough secret' },
        NOW,
        storage.db,
        deps,
      );
      expect(first).toEqual({ created: true, username: 'root' });
      expect((await getAdmin(storage.db))?.id).toBe('root');
      expect((await auditEvents(storage.db)).map((e) => [e.type, e.actor, e.subject])).toEqual([
        ['user.created', 'system', 'user:root'],
        ['admin.bootstrapped', 'system', 'user:root'],
      ]);
      expect(JSON.stringify(await auditEvents(storage.db))).not.toContain('a long enough secret');

      expect(
        await bootstrapAdmin({ username: 'other', password: 'a long enough secret' }, NOW, storage.db, deps),
      ).toEqual({
        created: false,
      });
      expect((await listUsers(storage.db)).map((u) => u.id)).toEqual(['root']);
      expect(await auditEvents(storage.db)).toHaveLength(2);
    });

    it('defaults to `admin` with a generated one-time password that logs in', async () => {
      const result = await bootstrapAdmin({}, NOW, storage.db, deps);
      if (!result.created) throw new Error('expected an admin');
      expect(result.username).toBe('admin');
      expect(result.generatedPassword?.length).toBeGreaterThanOrEqual(20);
      const admin = await getUserByUsername('admin', storage.db);
      expect(admin?.passwordHash).not.toContain(result.generatedPassword);
      const session = await login(
        { username: 'admin', password: result.generatedPassword ?? '', ip: '127.0.0.1', now: NOW },
        storage.db,
        { limiter: createLoginLimiter(), passwords: TEST_PASSWORDS },
      );
      expect(session.userId).toBe('admin');
      const audit = await auditEvents(storage.db, 'admin.bootstrapped');
      expect(audit[0]?.data).toEqual({ username: 'admin', generatedPassword: true });
      expect(JSON.stringify(audit)).not.toContain(result.generatedPassword);
    });

    it('refuses a short configured password', async () => {
      expect(await rejectionOf(bootstrapAdmin({ password: 'short' }, NOW, storage.db, deps))).toBeInstanceOf(
        ValidationError,
      );
      expect(await getAdmin(storage.db)).toBeUndefined();
    });

    it('says so when the username is taken by a user who is not the admin', async () => {
      await createUser(
        { id: 'admin', username: 'admin', displayName: 'x', role: 'user', createdAt: 1 },
        storage.db,
      );
      const error = await rejectionOf(bootstrapAdmin({}, NOW, storage.db, deps));
      expect(error).toBeInstanceOf(ValidationError);
      expect(await getAdmin(storage.db)).toBeUndefined();
    });

    it('bootstrap runs once even when called twice concurrently', async () => {
      // On PostgreSQL the second call comes from another pool, like a second node starting;
      // SQLite supports one writer instance per process, so both calls share it.
      const second = engine === 'postgres' ? await openDatabase({ url: storage.url }) : undefined;
      try {
        const results = await Promise.all([
          bootstrapAdmin({ username: 'node-a', password: 'a long enough secret' }, NOW, storage.db, deps),
          bootstrapAdmin(
            { username: 'node-b', password: 'a long enough secret' },
            NOW,
            second?.db ?? storage.db,
            deps,
          ),
          bootstrapAdmin(
            { username: 'node-a', password: 'a long enough secret' },
            NOW,
            second?.db ?? storage.db,
            deps,
          ),
        ]);
        const winners = results.filter((result) => result.created);
        expect(winners).toHaveLength(1);
        const winner = winners[0];
        if (!winner?.created) throw new Error('expected a winner');
        expect((await getAdmin(storage.db))?.id).toBe(winner.username);
        // The losers' users were rolled back with their seats.
        expect((await listUsers(storage.db)).map((u) => u.id)).toEqual([winner.username]);
        expect(await auditEvents(storage.db, 'admin.bootstrapped')).toHaveLength(1);
        const seats = await storage.db.selectFrom('admin_seat').selectAll().execute();
        expect(seats).toHaveLength(1);
      } finally {
        await second?.close();
      }
    });
  });
}
