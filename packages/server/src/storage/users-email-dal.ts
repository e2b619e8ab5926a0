import { guard } from './driver-errors.js';
import { notificationTables } from './notification-tables.js';
import type { Executor } from './transaction.js';
import type { BaseRole } from './users-dal.js';

/** A user who can be mailed: enabled, with an email address. */
export interface UserContact {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
}

/** Who to look up: users by id, by base role, by team name, or everyone (`all`). */
export interface ContactFilter {
  readonly ids?: readonly string[];
  readonly roles?: readonly BaseRole[];
  readonly teams?: readonly string[];
  readonly all?: boolean;
}

/** Sets (or, with `undefined`, clears) a user's email address; false when there is no such user. */
export async function setUserEmail(
  userId: string,
  email: string | undefined,
  db: Executor,
): Promise<boolean> {
  return guard('set a user’s email', async () => {
    const result = await notificationTables(db)
      .updateTable('users')
      .set({ email: email ?? null })
      .where('id', '=', userId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

/** A user's email address, if they have one. */
export async function getUserEmail(userId: string, db: Executor): Promise<string | undefined> {
  return guard('read a user’s email', async () => {
    const row = await notificationTables(db)
      .selectFrom('users')
      .select('email')
      .where('id', '=', userId)
      .executeTakeFirst();
    return row?.email ?? undefined;
  });
}

/**
 * The enabled users with an email address that match any part of `filter`, by id. An empty
 * filter matches nobody.
 */
export async function listUserContacts(filter: ContactFilter, db: Executor): Promise<readonly UserContact[]> {
  const ids = filter.ids ?? [];
  const roles = filter.roles ?? [];
  const teams = filter.teams ?? [];
  if (!filter.all && ids.length === 0 && roles.length === 0 && teams.length === 0) return [];
  return guard('list user contacts', async () => {
    const rows = await notificationTables(db)
      .selectFrom('users')
      .select(['users.id', 'users.display_name', 'users.email'])
      .where('users.email', 'is not', null)
      .where('users.disabled', '=', 0)
      .where((eb) => {
        if (filter.all) return eb.lit(true);
        const anyOf = [];
        if (ids.length > 0) anyOf.push(eb('users.id', 'in', ids));
        if (roles.length > 0) anyOf.push(eb('users.role', 'in', roles));
        if (teams.length > 0) {
          anyOf.push(
            eb(
              'users.id',
              'in',
              eb
                .selectFrom('team_members')
                .innerJoin('teams', 'teams.id', 'team_members.team_id')
                .select('team_members.user_id')
                .where('teams.name', 'in', teams),
            ),
          );
        }
        return eb.or(anyOf);
      })
      .orderBy('users.id')
      .execute();
    return Object.freeze(
      rows.flatMap((row) =>
        row.email === null
          ? []
          : [Object.freeze({ id: row.id, displayName: row.display_name, email: row.email })],
      ),
    );
  });
}
