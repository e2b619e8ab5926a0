import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain-errors.js';
import { getAdmin, bootstrapAdmin as seatAdmin } from '../storage/admin-seat-dal.js';
import { guard } from '../storage/driver-errors.js';
import { getSession } from '../storage/sessions-dal.js';
import { ConflictError, type IntegrityError } from '../storage/storage-errors.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { getUser } from '../storage/users-dal.js';
import { bootstrapAdmin } from './bootstrap-admin.js';
import { createDirectoryService, type DirectoryService } from './directory-service.js';
import {
  GOOD_PASSWORD,
  lastAudit,
  rejectionOf,
  seedAdmin,
  seedUser,
  sessionOf,
  TEST_PASSWORDS,
} from './identity-fixtures.test-support.js';
import { createSession } from './session-service.js';

const NOW = 1_700_000_000_000;

for (const engine of ENGINES) {
  describe(`user directory (${engine})`, () => {
    let storage: TestStorage;
    let directory: DirectoryService;
    const root = sessionOf('root', 'admin');
    const mod = sessionOf('mod', 'moderator');
    const alice = sessionOf('alice');

    /** Expects a ForbiddenError with `reason`, and its `permission.denied` audit record. */
    async function expectDenied(promise: Promise<unknown>, reason: string, actor: string, subject: string) {
      const error = await rejectionOf(promise);
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as ForbiddenError).data.reason).toBe(reason);
      expect(await lastAudit(storage.db, 'permission.denied')).toMatchObject({
        actor,
        subject,
        data: { reason },
      });
    }

    async function seatCount(): Promise<number> {
      return (await storage.db.selectFrom('admin_seat').selectAll().execute()).length;
    }

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      directory = createDirectoryService({ db: storage.db, passwords: TEST_PASSWORDS });
      await seedAdmin(storage.db, 'root');
      await seedUser(storage.db, 'mod', { role: 'moderator' });
      await seedUser(storage.db, 'alice');
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('lets the admin create moderators and users, audited, never storing the password', async () => {
      const view = await directory.createUser(
        root,
        { username: 'erin', role: 'moderator', password: GOOD_PASSWORD },
        NOW,
      );
      expect(view).toEqual({
        id: 'erin',
        username: 'erin',
        displayName: 'erin',
        role: 'moderator',
        baseRole: 'moderator',
        disabled: false,
        createdAt: NOW,
      });
      expect(
        await TEST_PASSWORDS.verify((await getUser('erin', storage.db))?.passwordHash, GOOD_PASSWORD),
      ).toBe(true);
      const audit = await lastAudit(storage.db, 'user.created');
      expect(audit).toMatchObject({
        actor: 'user:root',
        subject: 'user:erin',
        data: { username: 'erin', role: 'moderator' },
      });
      expect(JSON.stringify(audit)).not.toContain(GOOD_PASSWORD);
    });

    it('lets a moderator create users', async () => {
      await directory.createUser(mod, { username: 'frank', displayName: 'Frank' }, NOW);
      expect(await getUser('frank', storage.db)).toMatchObject({ role: 'user', displayName: 'Frank' });
    });

    it('refuses users creating users, bad names, short passwords and taken names', async () => {
      await expectDenied(
        directory.createUser(alice, { username: 'gina' }, NOW),
        'moderator-only',
        'user:alice',
        'user:gina',
      );
      expect(await getUser('gina', storage.db)).toBeUndefined();
      expect(await rejectionOf(directory.createUser(root, { username: 'Gina' }, NOW))).toBeInstanceOf(
        ValidationError,
      );
      expect(
        await rejectionOf(directory.createUser(root, { username: 'gina', password: 'short' }, NOW)),
      ).toBeInstanceOf(ValidationError);
      expect(await rejectionOf(directory.createUser(root, { username: 'alice' }, NOW))).toBeInstanceOf(
        ConflictError,
      );
    });

    it('a moderator cannot promote to moderator', async () => {
      await expectDenied(
        directory.createUser(mod, { username: 'henry', role: 'moderator' }, NOW),
        'admin-only',
        'user:mod',
        'user:henry',
      );
      expect(await getUser('henry', storage.db)).toBeUndefined();
      await expectDenied(
        directory.setRole(mod, 'alice', 'moderator', NOW),
        'admin-only',
        'user:mod',
        'user:alice',
      );
      expect((await getUser('alice', storage.db))?.role).toBe('user');
    });

    it('lets the admin change a role, audited with from and to', async () => {
      await directory.setRole(root, 'frank', 'moderator', NOW);
      expect((await getUser('frank', storage.db))?.role).toBe('moderator');
      expect(await lastAudit(storage.db, 'user.role.changed')).toMatchObject({
        actor: 'user:root',
        subject: 'user:frank',
        data: { from: 'user', to: 'moderator' },
      });
      expect(await rejectionOf(directory.setRole(root, 'nobody', 'user', NOW))).toBeInstanceOf(NotFoundError);
    });

    it('refuses an admin token without the admin scope for admin-only work', async () => {
      const narrow = { ...root, via: 'token' as const, scopes: ['requests:read'] };
      await expectDenied(
        directory.setRole(narrow, 'frank', 'user', NOW),
        'missing-scope',
        'user:root',
        'user:frank',
      );
    });

    it('refuses agents and disabled users anything in the directory', async () => {
      const bot = { kind: 'agent', id: 'ci-bot', teams: [], scopes: ['admin'], via: 'token' } as const;
      await expectDenied(directory.listUsers(bot, NOW), 'agent-not-allowed', 'agent:ci-bot', 'users');
      await seedUser(storage.db, 'ghost', { disabled: true });
      await expectDenied(
        directory.listUsers(sessionOf('ghost'), NOW),
        'principal-disabled',
        'user:ghost',
        'users',
      );
    });

    it('lists users for any human, with the effective role and no password hashes', async () => {
      const users = await directory.listUsers(alice, NOW);
      expect(users.find((u) => u.id === 'root')).toMatchObject({ role: 'admin', baseRole: 'moderator' });
      expect(JSON.stringify(users)).not.toContain('argon2');
    });

    it('disables and enables users, ending their sessions', async () => {
      const session = await createSession('alice', NOW, storage.db);
      await directory.disableUser(root, 'alice', NOW);
      expect((await getUser('alice', storage.db))?.disabled).toBe(true);
      expect(await getSession(session.sessionId, NOW, storage.db)).toBeUndefined();
      expect(await lastAudit(storage.db, 'user.disabled')).toMatchObject({
        subject: 'user:alice',
        data: { sessionsEnded: 1 },
      });
      await directory.enableUser(root, 'alice', NOW);
      expect((await getUser('alice', storage.db))?.disabled).toBe(false);
      expect(await lastAudit(storage.db, 'user.enabled')).toMatchObject({
        actor: 'user:root',
        subject: 'user:alice',
      });
      await expectDenied(directory.disableUser(mod, 'alice', NOW), 'admin-only', 'user:mod', 'user:alice');
    });

    it('changes one’s own password with the current one, or the admin sets it', async () => {
      const next = 'a brand new passphrase';
      await expectDenied(
        directory.setPassword(
          alice,
          'alice',
          { currentPassword: 'not the password', newPassword: next },
          NOW,
        ),
        'wrong-password',
        'user:alice',
        'user:alice',
      );
      await directory.setPassword(alice, 'alice', { currentPassword: GOOD_PASSWORD, newPassword: next }, NOW);
      expect(await TEST_PASSWORDS.verify((await getUser('alice', storage.db))?.passwordHash, next)).toBe(
        true,
      );
      expect(await lastAudit(storage.db, 'user.password.changed')).toMatchObject({
        actor: 'user:alice',
        data: { by: 'self' },
      });
      await expectDenied(
        directory.setPassword(mod, 'alice', { newPassword: GOOD_PASSWORD }, NOW),
        'admin-only',
        'user:mod',
        'user:alice',
      );
      await directory.setPassword(root, 'alice', { newPassword: GOOD_PASSWORD }, NOW);
      expect(await lastAudit(storage.db, 'user.password.changed')).toMatchObject({
        actor: 'user:root',
        data: { by: 'admin' },
      });
      expect(JSON.stringify(await lastAudit(storage.db, 'user.password.changed'))).not.toContain(
        GOOD_PASSWORD,
      );
    });

    it('a non-admin cannot transfer the admin seat', async () => {
      await expectDenied(directory.transferAdmin(mod, 'mod', NOW), 'admin-only', 'user:mod', 'user:mod');
      await expectDenied(
        directory.transferAdmin(alice, 'alice', NOW),
        'admin-only',
        'user:alice',
        'user:alice',
      );
      // A stale session that still says `admin` does not help: the seat is read afresh.
      await expectDenied(
        directory.transferAdmin(sessionOf('mod', 'admin'), 'mod', NOW),
        'admin-only',
        'user:mod',
        'user:mod',
      );
      expect((await getAdmin(storage.db))?.id).toBe('root');
    });

    it('the admin can never be zero or two', async () => {
      // Demote the admin: refused while they hold the seat.
      await expectDenied(
        directory.setRole(root, 'root', 'user', NOW),
        'admin-role-fixed',
        'user:root',
        'user:root',
      );
      // Disable the admin: refused by the service, and by the database for anyone going around it.
      await expectDenied(
        directory.disableUser(root, 'root', NOW),
        'admin-protected',
        'user:root',
        'user:root',
      );
      expect((await getUser('root', storage.db))?.disabled).toBe(false);
      // Delete the seat: the database refuses.
      const deleted = await rejectionOf(
        guard('delete the seat', () => storage.db.deleteFrom('admin_seat').execute()),
      );
      expect((deleted as IntegrityError).rule).toBe('admin_seat_required');
      if (engine === 'postgres') {
        const truncated = await rejectionOf(
          guard('truncate', () => sql`truncate admin_seat cascade`.execute(storage.db)),
        );
        expect((truncated as IntegrityError).rule).toBe('admin_seat_required');
      }
      // Delete the admin's user row: the seat's foreign key refuses.
      const gone = await rejectionOf(
        guard('delete the admin', () => storage.db.deleteFrom('users').where('id', '=', 'root').execute()),
      );
      expect((gone as IntegrityError).rule).toBe('foreign_key');
      expect(await seatCount()).toBe(1);
      // A second seat: the DAL and the bootstrap both refuse.
      expect(await rejectionOf(seatAdmin('mod', storage.db))).toBeInstanceOf(ConflictError);
      expect(
        await bootstrapAdmin({ username: 'second', password: GOOD_PASSWORD }, NOW, storage.db, {
          passwords: TEST_PASSWORDS,
        }),
      ).toEqual({
        created: false,
      });
      // Transfer to a disabled user: refused, the seat stays.
      await seedUser(storage.db, 'sleeper', { disabled: true });
      expect(await rejectionOf(directory.transferAdmin(root, 'sleeper', NOW))).toBeInstanceOf(
        ValidationError,
      );
      expect(await seatCount()).toBe(1);
      expect((await getAdmin(storage.db))?.id).toBe('root');

      // A transfer moves the one seat: the new admin is the only one, the old one a moderator.
      await directory.transferAdmin(root, 'mod', NOW);
      expect(await seatCount()).toBe(1);
      expect((await getAdmin(storage.db))?.id).toBe('mod');
      expect((await getUser('root', storage.db))?.role).toBe('moderator');
      expect(await lastAudit(storage.db, 'admin.transferred')).toMatchObject({
        actor: 'user:root',
        subject: 'user:mod',
        data: { from: 'root', to: 'mod' },
      });
      // The old admin has lost the power at once, even with a session that still says admin.
      await expectDenied(directory.transferAdmin(root, 'root', NOW), 'admin-only', 'user:root', 'user:root');
      // And the new admin cannot be disabled or demoted either.
      await expectDenied(
        directory.disableUser(sessionOf('mod', 'admin'), 'mod', NOW),
        'admin-protected',
        'user:mod',
        'user:mod',
      );
      expect(await seatCount()).toBe(1);
    });
  });
}
