import type { Role } from '@gatehouse/core';
import { guard } from './driver-errors.js';
import { flag } from './row-values.js';
import type { Executor } from './transaction.js';
import { toUser, type UserRecord } from './users-dal.js';

// The admin is the single row of `admin_seat` (id pinned to 1): a second admin cannot be
// inserted, the seat cannot be deleted (trigger), and a transfer is one UPDATE. The user
// who gives the seat away keeps their own base role (`users.role`), nothing more.

/** Seats the first admin, once. A second call is a `ConflictError` (`admin_seat_pkey`). */
export async function bootstrapAdmin(userId: string, db: Executor): Promise<void> {
  await guard('seat the admin', () =>
    db.insertInto('admin_seat').values({ id: 1, user_id: userId }).execute(),
  );
}

/**
 * Gives the admin seat to another user, atomically (one UPDATE). False when no admin is
 * seated yet or the target is not an enabled user; the seat is then unchanged.
 */
export async function transferAdmin(toUserId: string, db: Executor): Promise<boolean> {
  return guard('transfer the admin seat', async () => {
    const result = await db
      .updateTable('admin_seat')
      .set({ user_id: toUserId })
      .where('id', '=', 1)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('users').select('id').where('id', '=', toUserId).where('disabled', '=', flag(false)),
        ),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

/** The admin, or undefined before bootstrap. */
export async function getAdmin(db: Executor): Promise<UserRecord | undefined> {
  return guard('read the admin', async () => {
    const row = await db
      .selectFrom('admin_seat')
      .innerJoin('users', 'users.id', 'admin_seat.user_id')
      .selectAll('users')
      .executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  });
}

/** A user's effective role: `admin` while they hold the seat, else their base role. */
export async function getEffectiveRole(userId: string, db: Executor): Promise<Role | undefined> {
  return guard('read a user role', async () => {
    const row = await db
      .selectFrom('users')
      .leftJoin('admin_seat', 'admin_seat.user_id', 'users.id')
      .select(['users.role', 'admin_seat.id as seat'])
      .where('users.id', '=', userId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return row.seat === null ? row.role : 'admin';
  });
}
