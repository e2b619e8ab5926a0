import { guard } from './driver-errors.js';
import type { Executor } from './transaction.js';

/** A team. */
export interface TeamRecord {
  readonly id: string;
  readonly name: string;
}

/** A team's role for one of its members. */
export type TeamRole = 'maintainer' | 'member';

/** One membership: a user in a team, with their role there. */
export interface TeamMembership {
  readonly teamId: string;
  readonly teamName: string;
  readonly userId: string;
  readonly role: TeamRole;
}

/** Creates a team; a taken id or name is a `ConflictError`. */
export async function createTeam(team: TeamRecord, db: Executor): Promise<void> {
  await guard('create a team', () =>
    db.insertInto('teams').values({ id: team.id, name: team.name }).execute(),
  );
}

/** The team with this id, if any. */
export async function getTeam(id: string, db: Executor): Promise<TeamRecord | undefined> {
  return guard('read a team', async () => {
    const row = await db.selectFrom('teams').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : Object.freeze({ ...row });
  });
}

/** Every team, by name. */
export async function listTeams(db: Executor): Promise<readonly TeamRecord[]> {
  return guard('list teams', async () => {
    const rows = await db.selectFrom('teams').select(['id', 'name']).orderBy('name').execute();
    return Object.freeze(rows.map((row) => Object.freeze({ ...row })));
  });
}

/**
 * Adds a user to a team, or changes their role there if they are already in it.
 * An unknown team or user is an `IntegrityError` (`foreign_key`).
 */
export async function setTeamMember(
  teamId: string,
  userId: string,
  role: TeamRole,
  db: Executor,
): Promise<void> {
  await guard('add a team member', () =>
    db
      .insertInto('team_members')
      .values({ team_id: teamId, user_id: userId, role })
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ role }))
      .execute(),
  );
}

/** Removes a user from a team; false when they were not in it. */
export async function removeTeamMember(teamId: string, userId: string, db: Executor): Promise<boolean> {
  return guard('remove a team member', async () => {
    const result = await db
      .deleteFrom('team_members')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  });
}

/** A team's members, by user id. */
export async function listTeamMembers(teamId: string, db: Executor): Promise<readonly TeamMembership[]> {
  return listMemberships('list team members', db, 'team_members.team_id', teamId);
}

/** The teams a user belongs to, by team name. */
export async function listUserTeams(userId: string, db: Executor): Promise<readonly TeamMembership[]> {
  return listMemberships('list a user’s teams', db, 'team_members.user_id', userId);
}

async function listMemberships(
  operation: string,
  db: Executor,
  column: 'team_members.team_id' | 'team_members.user_id',
  value: string,
): Promise<readonly TeamMembership[]> {
  return guard(operation, async () => {
    const rows = await db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['team_members.team_id', 'teams.name', 'team_members.user_id', 'team_members.role'])
      .where(column, '=', value)
      .orderBy(column === 'team_members.team_id' ? 'team_members.user_id' : 'teams.name')
      .execute();
    return Object.freeze(
      rows.map((row) =>
        Object.freeze({ teamId: row.team_id, teamName: row.name, userId: row.user_id, role: row.role }),
      ),
    );
  });
}
