import type { Role } from '@gatehouse/core';
import { NotFoundError, ValidationError } from '../domain-errors.js';
import { getAdmin, transferAdmin as moveAdminSeat } from '../storage/admin-seat-dal.js';
import { deleteUserSessions } from '../storage/sessions-dal.js';
import {
  type BaseRole,
  getUser,
  createUser as insertUser,
  listUsers as readUsers,
  setLoginState,
  setPasswordHash,
  setUserDisabled,
  setUserRole,
  type UserRecord,
} from '../storage/users-dal.js';
import type { AuthenticatedPrincipal } from './authenticated-principal.js';
import {
  type Acting,
  type DirectoryDeps,
  deny,
  requireAdmin,
  requireModerator,
  runDirectoryChange,
  runDirectoryRead,
} from './directory-guard.js';
import { checkName } from './directory-names.js';
import { checkPassword, createPasswordHasher } from './password-hasher.js';

/** A user as the directory shows them: never the password hash or the failure count. */
export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  /** The effective role: `admin` for the seat holder. */
  readonly role: Role;
  /** The role stored for the user, which the admin keeps when handing the seat on. */
  readonly baseRole: BaseRole;
  readonly disabled: boolean;
  readonly createdAt: number;
  /** Set while a lockout after failed logins may still be running. */
  readonly lockedUntil?: number;
}

/** A new user. */
export interface NewUserInput {
  readonly username: string;
  readonly displayName?: string;
  /** Defaults to `user`. Only the admin can create moderators. */
  readonly role?: BaseRole;
  /** Optional: a user without one cannot log in with a password until one is set. */
  readonly password?: string;
}

/** A password change: the user's own needs the current password; the admin's for another user does not. */
export interface PasswordChange {
  readonly currentPassword?: string;
  readonly newPassword: string;
}

/** Users: create, list, roles, the admin seat, disable and enable, passwords. */
export interface UserDirectory {
  /** The admin creates users and moderators; a moderator creates users. Audited `user.created`. */
  createUser(actor: AuthenticatedPrincipal, input: NewUserInput, now: number): Promise<UserView>;
  /** Every user; any human may list them. */
  listUsers(actor: AuthenticatedPrincipal, now: number): Promise<readonly UserView[]>;
  /** The admin sets another user's base role. Audited `user.role.changed`. */
  setRole(actor: AuthenticatedPrincipal, userId: string, role: BaseRole, now: number): Promise<void>;
  /** The admin hands the seat to another enabled user, atomically, and stays on as a moderator. Audited `admin.transferred`. */
  transferAdmin(actor: AuthenticatedPrincipal, toUserId: string, now: number): Promise<void>;
  /** The admin disables a user (never the admin) and ends their sessions. Audited `user.disabled`. */
  disableUser(actor: AuthenticatedPrincipal, userId: string, now: number): Promise<void>;
  /** The admin enables a user again. Audited `user.enabled`. */
  enableUser(actor: AuthenticatedPrincipal, userId: string, now: number): Promise<void>;
  /**
   * A user changes their own password (with the current one), or the admin sets another's.
   * Ends the user's sessions and lifts any lockout. Audited `user.password.changed`.
   */
  setPassword(
    actor: AuthenticatedPrincipal,
    userId: string,
    change: PasswordChange,
    now: number,
  ): Promise<void>;
}

/** Creates the user directory over `deps.db`. */
export function createUserDirectory(deps: DirectoryDeps): UserDirectory {
  const { db } = deps;
  const passwords = deps.passwords ?? createPasswordHasher();

  return Object.freeze<UserDirectory>({
    async createUser(actor, input, now) {
      const username = checkName(input.username, 'username');
      const role = input.role ?? 'user';
      if (role !== 'user' && role !== 'moderator')
        throw new ValidationError('role', 'must be user or moderator');
      const displayName = input.displayName?.trim() || username;
      if (input.password !== undefined) checkPassword(input.password);
      const operation = { name: 'user.create', subject: `user:${username}` };
      const mayCreate = (acting: Acting) =>
        role === 'moderator'
          ? requireAdmin(acting, 'create moderators')
          : requireModerator(acting, 'create users');
      // Checked before hashing too, so nobody without the right makes the server spend a hash.
      await runDirectoryRead(actor, operation, now, db, async (acting) => mayCreate(acting) ?? true);
      const passwordHash = input.password === undefined ? undefined : await passwords.hash(input.password);
      return runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = mayCreate(acting);
        if (denial !== undefined) return denial;
        const user = await insertUser(
          {
            id: username,
            username,
            displayName,
            role,
            createdAt: now,
            ...(passwordHash ? { passwordHash } : {}),
          },
          trx,
        );
        record('user.created', operation.subject, { username, role });
        return toView(user, undefined);
      });
    },

    async listUsers(actor, now) {
      return runDirectoryRead(actor, { name: 'user.list', subject: 'users' }, now, db, async () => {
        const adminId = (await getAdmin(db))?.id;
        return Object.freeze((await readUsers(db)).map((user) => toView(user, adminId)));
      });
    },

    async setRole(actor, userId, role, now) {
      if (role !== 'user' && role !== 'moderator')
        throw new ValidationError('role', 'must be user or moderator');
      const operation = { name: 'user.setRole', subject: `user:${userId}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = requireAdmin(acting, 'change roles');
        if (denial !== undefined) return denial;
        const user = await getUser(userId, trx);
        if (user === undefined) throw new NotFoundError('user', userId);
        if ((await getAdmin(trx))?.id === userId) {
          return deny(
            'admin-role-fixed',
            'The admin’s role cannot change while they hold the seat; transfer it first',
          );
        }
        if (user.role === role) return;
        await setUserRole(userId, role, trx);
        record('user.role.changed', operation.subject, { from: user.role, to: role });
      });
    },

    async transferAdmin(actor, toUserId, now) {
      const operation = { name: 'admin.transfer', subject: `user:${toUserId}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = requireAdmin(acting, 'transfer the admin seat');
        if (denial !== undefined) return denial;
        if (toUserId === acting.id) throw new ValidationError('to', 'you already hold the admin seat');
        const target = await getUser(toUserId, trx);
        if (target === undefined) throw new NotFoundError('user', toUserId);
        if (target.disabled) throw new ValidationError('to', 'the admin seat cannot go to a disabled user');
        if (!(await moveAdminSeat(toUserId, trx))) {
          throw new ValidationError('to', 'the admin seat could not be transferred to this user');
        }
        // The seat is the whole of the admin's power; the old admin stays on as a moderator.
        await setUserRole(acting.id, 'moderator', trx);
        record('admin.transferred', operation.subject, { from: acting.id, to: toUserId });
      });
    },

    async disableUser(actor, userId, now) {
      const operation = { name: 'user.disable', subject: `user:${userId}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = requireAdmin(acting, 'disable users');
        if (denial !== undefined) return denial;
        const user = await getUser(userId, trx);
        if (user === undefined) throw new NotFoundError('user', userId);
        if ((await getAdmin(trx))?.id === userId)
          return deny('admin-protected', 'The admin cannot be disabled');
        if (user.disabled) return;
        if (!(await setUserDisabled(userId, true, trx))) {
          return deny('admin-protected', 'The admin cannot be disabled');
        }
        const sessionsEnded = await deleteUserSessions(userId, trx);
        record('user.disabled', operation.subject, { sessionsEnded });
      });
    },

    async enableUser(actor, userId, now) {
      const operation = { name: 'user.enable', subject: `user:${userId}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = requireAdmin(acting, 'enable users');
        if (denial !== undefined) return denial;
        const user = await getUser(userId, trx);
        if (user === undefined) throw new NotFoundError('user', userId);
        if (!user.disabled) return;
        await setUserDisabled(userId, false, trx);
        record('user.enabled', operation.subject);
      });
    },

    async setPassword(actor, userId, change, now) {
      checkPassword(change.newPassword, 'newPassword');
      const operation = { name: 'user.setPassword', subject: `user:${userId}` };
      const self = actor.kind === 'user' && actor.id === userId;
      // The slow checks (the current password, then the new hash) run outside the transaction.
      await runDirectoryRead(actor, operation, now, db, async (acting) => {
        if (!self) return requireAdmin(acting, 'set other users’ passwords') ?? true;
        const user = await getUser(userId, db);
        // Even the admin gives the current password for their own: a stolen session must not take over the account.
        const ok = await passwords.verify(user?.passwordHash, change.currentPassword ?? '');
        return ok ? true : deny('wrong-password', 'The current password is wrong');
      });
      const passwordHash = await passwords.hash(change.newPassword);
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        if (!self) {
          const denial = requireAdmin(acting, 'set other users’ passwords');
          if (denial !== undefined) return denial;
        }
        if ((await getUser(userId, trx)) === undefined) throw new NotFoundError('user', userId);
        await setPasswordHash(userId, passwordHash, trx);
        await setLoginState(userId, { failedLogins: 0 }, trx);
        const sessionsEnded = await deleteUserSessions(userId, trx);
        record('user.password.changed', operation.subject, { by: self ? 'self' : 'admin', sessionsEnded });
      });
    },
  });
}

function toView(user: UserRecord, adminId: string | undefined): UserView {
  return Object.freeze({
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.id === adminId ? 'admin' : user.role,
    baseRole: user.role,
    disabled: user.disabled,
    createdAt: user.createdAt,
    ...(user.lockedUntil === undefined ? {} : { lockedUntil: user.lockedUntil }),
  });
}
