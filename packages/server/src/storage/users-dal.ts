import type { Role } from '@gatehouse/core';
import type { Selectable } from 'kysely';
import type { UsersTable } from './database-types.js';
import { guard } from './driver-errors.js';
import { flag, isSet, optional } from './row-values.js';
import type { Executor } from './transaction.js';

/** A role a user row holds; `admin` is not one of them: the admin is whoever holds the seat. */
export type BaseRole = Exclude<Role, 'admin'>;

/** A human account as stored. */
export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  /** The base role; the effective role is `admin` while the user holds the admin seat. */
  readonly role: BaseRole;
  readonly passwordHash?: string;
  readonly disabled: boolean;
  readonly createdAt: number;
  readonly failedLogins: number;
  readonly lockedUntil?: number;
}

/** What creating a user takes. */
export type NewUser = Omit<UserRecord, 'disabled' | 'failedLogins' | 'lockedUntil'>;

/** Inserts a user; a taken id or username is a `ConflictError` (`users_pkey`, `users_username_unique`). */
export async function createUser(user: NewUser, db: Executor): Promise<UserRecord> {
  return guard('create a user', async () => {
    const row = await db
      .insertInto('users')
      .values({
        id: user.id,
        username: user.username,
        display_name: user.displayName,
        role: user.role,
        password_hash: user.passwordHash ?? null,
        disabled: flag(false),
        created_at: user.createdAt,
        locked_until: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(row);
  });
}

/** The user with this id, if any. */
export async function getUser(id: string, db: Executor): Promise<UserRecord | undefined> {
  return guard('read a user', async () => {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  });
}

/** The user with this username, if any. */
export async function getUserByUsername(username: string, db: Executor): Promise<UserRecord | undefined> {
  return guard('read a user', async () => {
    const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  });
}

/** Every user, by username. */
export async function listUsers(db: Executor): Promise<readonly UserRecord[]> {
  return guard('list users', async () => {
    const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
    return Object.freeze(rows.map(toUser));
  });
}

/** Sets a user's base role; false when there is no such user. */
export async function setUserRole(userId: string, role: BaseRole, db: Executor): Promise<boolean> {
  return guard('set a user role', async () => {
    const result = await db.updateTable('users').set({ role }).where('id', '=', userId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

/**
 * Disables or enables a user; false when there is no such user, or when asked to
 * disable the admin (a disabled admin would leave nobody holding the seat in practice).
 */
export async function setUserDisabled(userId: string, disabled: boolean, db: Executor): Promise<boolean> {
  return guard('disable a user', async () => {
    let update = db
      .updateTable('users')
      .set({ disabled: flag(disabled) })
      .where('id', '=', userId);
    if (disabled) {
      update = update.where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('admin_seat').select('id').where('admin_seat.user_id', '=', userId))),
      );
    }
    const result = await update.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

/** Records the outcome of a login attempt: the failure count and any lock-out. */
export async function setLoginState(
  userId: string,
  state: { readonly failedLogins: number; readonly lockedUntil?: number },
  db: Executor,
): Promise<void> {
  await guard('record a login attempt', () =>
    db
      .updateTable('users')
      .set({ failed_logins: state.failedLogins, locked_until: state.lockedUntil ?? null })
      .where('id', '=', userId)
      .execute(),
  );
}

/** Replaces a user's password hash. */
export async function setPasswordHash(userId: string, passwordHash: string, db: Executor): Promise<void> {
  await guard('set a password', () =>
    db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute(),
  );
}

/** Maps a `users` row to a record. */
export function toUser(row: Selectable<UsersTable>): UserRecord {
  return Object.freeze({
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    passwordHash: optional(row.password_hash),
    disabled: isSet(row.disabled),
    createdAt: row.created_at,
    failedLogins: row.failed_logins,
    lockedUntil: optional(row.locked_until),
  });
}
