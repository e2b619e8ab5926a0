import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin, getAdmin, getEffectiveRole, transferAdmin } from './admin-seat-dal.js';
import { toStorageError } from './driver-errors.js';
import { ConflictError, IntegrityError } from './storage-errors.js';
import { aUser } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';
import {
  createUser,
  getUser,
  getUserByUsername,
  listUsers,
  setLoginState,
  setUserDisabled,
  setUserRole,
} from './users-dal.js';

for (const engine of ENGINES) {
  describe(`users and the admin seat (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('creates, reads and lists users', async () => {
      const bob = await createUser(
        aUser({ id: 'u-bob', username: 'bob', passwordHash: 'argon2id$x' }),
        storage.db,
      );
      expect(bob).toMatchObject({
        id: 'u-bob',
        username: 'bob',
        role: 'user',
        disabled: false,
        failedLogins: 0,
      });
      expect(Object.isFrozen(bob)).toBe(true);
      expect(await getUser('u-bob', storage.db)).toEqual(bob);
      expect(await getUserByUsername('bob', storage.db)).toEqual(bob);
      expect(await getUser('u-nobody', storage.db)).toBeUndefined();
      await createUser(aUser({ id: 'u-amy', username: 'amy' }), storage.db);
      const names = (await listUsers(storage.db)).map((user) => user.username);
      expect(names.indexOf('amy')).toBeLessThan(names.indexOf('bob'));
    });

    it('refuses a taken username with a ConflictError naming the key', async () => {
      await createUser(aUser({ username: 'carol' }), storage.db);
      const error = await createUser(aUser({ username: 'carol' }), storage.db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).constraint).toBe('users_username_unique');
    });

    it('checks the base role in the database', async () => {
      const user = await createUser(aUser(), storage.db);
      expect(await setUserRole(user.id, 'moderator', storage.db)).toBe(true);
      expect((await getUser(user.id, storage.db))?.role).toBe('moderator');
      expect(await setUserRole('u-nobody', 'moderator', storage.db)).toBe(false);
      const error = await setUserRole(user.id, 'admin' as 'user', storage.db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as IntegrityError).rule).toBe('users_role_check');
    });

    it('records login failures and lock-outs', async () => {
      const user = await createUser(aUser(), storage.db);
      await setLoginState(user.id, { failedLogins: 5, lockedUntil: 9_000 }, storage.db);
      expect(await getUser(user.id, storage.db)).toMatchObject({ failedLogins: 5, lockedUntil: 9_000 });
      await setLoginState(user.id, { failedLogins: 0 }, storage.db);
      expect((await getUser(user.id, storage.db))?.lockedUntil).toBeUndefined();
    });

    describe('exactly one admin', () => {
      it('has none before bootstrap, then one', async () => {
        expect(await getAdmin(storage.db)).toBeUndefined();
        const root = await createUser(aUser({ id: 'u-root', role: 'user' }), storage.db);
        await bootstrapAdmin(root.id, storage.db);
        expect((await getAdmin(storage.db))?.id).toBe('u-root');
        expect(await getEffectiveRole('u-root', storage.db)).toBe('admin');
      });

      it('refuses a second seat', async () => {
        const other = await createUser(aUser(), storage.db);
        const viaDal = await bootstrapAdmin(other.id, storage.db).catch((e: unknown) => e);
        expect(viaDal).toBeInstanceOf(ConflictError);
        expect((viaDal as ConflictError).constraint).toBe('admin_seat_pkey');
        // Even a raw insert with another id cannot add a second admin.
        const raw = await storage.db
          .insertInto('admin_seat')
          .values({ id: 2, user_id: other.id })
          .execute()
          .catch((e: unknown) => e);
        expect(toStorageError('seat an admin', raw)).toBeInstanceOf(IntegrityError);
        expect((toStorageError('seat an admin', raw) as IntegrityError).rule).toBe('admin_seat_single');
        expect((await getAdmin(storage.db))?.id).toBe('u-root');
      });

      it('refuses to delete the seat, or the admin user', async () => {
        const seat = await storage.db
          .deleteFrom('admin_seat')
          .execute()
          .catch((e: unknown) => e);
        const mapped = toStorageError('remove the admin', seat);
        expect(mapped).toBeInstanceOf(IntegrityError);
        expect((mapped as IntegrityError).rule).toBe('admin_seat_required');
        const user = await storage.db
          .deleteFrom('users')
          .where('id', '=', 'u-root')
          .execute()
          .catch((e: unknown) => e);
        expect((toStorageError('delete a user', user) as IntegrityError).rule).toBe('foreign_key');
        const { rows } = await sql<{ n: number }>`select count(*) as n from admin_seat`.execute(storage.db);
        expect(Number(rows[0]?.n)).toBe(1);
      });

      it('refuses to disable the admin', async () => {
        expect(await setUserDisabled('u-root', true, storage.db)).toBe(false);
        expect((await getUser('u-root', storage.db))?.disabled).toBe(false);
      });

      it('transfers the seat in one update; the old admin keeps their base role', async () => {
        const next = await createUser(aUser({ id: 'u-next', role: 'moderator' }), storage.db);
        expect(await transferAdmin(next.id, storage.db)).toBe(true);
        expect((await getAdmin(storage.db))?.id).toBe('u-next');
        expect(await getEffectiveRole('u-next', storage.db)).toBe('admin');
        expect(await getEffectiveRole('u-root', storage.db)).toBe('user');
        expect((await getUser('u-next', storage.db))?.role).toBe('moderator');
        expect(await setUserDisabled('u-root', true, storage.db)).toBe(true);
      });

      it('refuses a transfer to a missing or disabled user, leaving the seat as it was', async () => {
        expect(await transferAdmin('u-nobody', storage.db)).toBe(false);
        expect(await transferAdmin('u-root', storage.db)).toBe(false); // disabled above
        expect((await getAdmin(storage.db))?.id).toBe('u-next');
      });

      it('ends concurrent transfers with one seat held by one of the targets', async () => {
        const targets = ['u-t1', 'u-t2', 'u-t3'];
        for (const id of targets) await createUser(aUser({ id }), storage.db);
        const results = await Promise.all(targets.map((id) => transferAdmin(id, storage.db)));
        expect(results).toEqual([true, true, true]);
        const seats = await storage.db.selectFrom('admin_seat').selectAll().execute();
        expect(seats).toHaveLength(1);
        expect(targets).toContain(seats[0]?.user_id);
      });
    });
  });
}
