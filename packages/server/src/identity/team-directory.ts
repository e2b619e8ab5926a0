import { NotFoundError, ValidationError } from '../domain-errors.js';
import {
  removeTeamMember as deleteTeamMember,
  getTeam,
  createTeam as insertTeam,
  listTeamMembers,
  listTeams as readTeams,
  setTeamMember,
  type TeamRole,
} from '../storage/teams-dal.js';
import type { Executor } from '../storage/transaction.js';
import { getUser } from '../storage/users-dal.js';
import type { AuthenticatedPrincipal } from './authenticated-principal.js';
import {
  type Acting,
  type Denial,
  type DirectoryDeps,
  deny,
  maintainsTeam,
  requireModerator,
  runDirectoryChange,
  runDirectoryRead,
} from './directory-guard.js';
import { checkName } from './directory-names.js';

/** A team with its members. */
export interface TeamView {
  /** The team's id, which is its name (what policies write: `team: infra`). */
  readonly id: string;
  readonly name: string;
  readonly members: readonly { readonly userId: string; readonly role: TeamRole }[];
}

/** Teams: create, list, and membership with the maintainer and member roles. */
export interface TeamDirectory {
  /** The admin or a moderator creates a team. Audited `team.created`. */
  createTeam(actor: AuthenticatedPrincipal, name: string, now: number): Promise<TeamView>;
  /**
   * The admin, a moderator or one of the team's maintainers adds a user, or changes their role
   * there. Audited `team.member.added` or `team.member.role.changed`.
   */
  addTeamMember(
    actor: AuthenticatedPrincipal,
    teamId: string,
    userId: string,
    role: TeamRole,
    now: number,
  ): Promise<void>;
  /** The same people remove a member. Audited `team.member.removed`. */
  removeTeamMember(actor: AuthenticatedPrincipal, teamId: string, userId: string, now: number): Promise<void>;
  /** Every team with its members; any human may list them. */
  listTeams(actor: AuthenticatedPrincipal, now: number): Promise<readonly TeamView[]>;
}

/** Creates the team directory over `deps.db`. */
export function createTeamDirectory(deps: DirectoryDeps): TeamDirectory {
  const { db } = deps;

  return Object.freeze<TeamDirectory>({
    async createTeam(actor, name, now) {
      const id = checkName(name, 'name');
      const operation = { name: 'team.create', subject: `team:${id}` };
      return runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = requireModerator(acting, 'create teams');
        if (denial !== undefined) return denial;
        await insertTeam({ id, name: id }, trx);
        record('team.created', operation.subject, { name: id });
        return Object.freeze({ id, name: id, members: Object.freeze([]) });
      });
    },

    async addTeamMember(actor, teamId, userId, role, now) {
      if (role !== 'maintainer' && role !== 'member') {
        throw new ValidationError('role', 'must be maintainer or member');
      }
      const operation = { name: 'team.addMember', subject: `team:${teamId}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = await mayManageMembers(acting, teamId, trx);
        if (denial !== undefined) return denial;
        if ((await getUser(userId, trx)) === undefined) throw new NotFoundError('user', userId);
        const current = (await listTeamMembers(teamId, trx)).find((member) => member.userId === userId);
        if (current?.role === role) return;
        await setTeamMember(teamId, userId, role, trx);
        if (current === undefined) record('team.member.added', operation.subject, { user: userId, role });
        else
          record('team.member.role.changed', operation.subject, {
            user: userId,
            from: current.role,
            to: role,
          });
      });
    },

    async removeTeamMember(actor, teamId, userId, now) {
      const operation = { name: 'team.removeMember', subject: `team:${teamId}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = await mayManageMembers(acting, teamId, trx);
        if (denial !== undefined) return denial;
        if (!(await deleteTeamMember(teamId, userId, trx))) throw new NotFoundError('team member', userId);
        record('team.member.removed', operation.subject, { user: userId });
      });
    },

    async listTeams(actor, now) {
      return runDirectoryRead(actor, { name: 'team.list', subject: 'teams' }, now, db, async () => {
        const teams = await readTeams(db);
        const views = [];
        for (const team of teams) {
          const members = await listTeamMembers(team.id, db);
          views.push(
            Object.freeze({
              id: team.id,
              name: team.name,
              members: Object.freeze(members.map((m) => Object.freeze({ userId: m.userId, role: m.role }))),
            }),
          );
        }
        return Object.freeze(views);
      });
    },
  });
}

/** The admin, moderators, and the team's own maintainers manage its members; an unknown team is NotFound. */
async function mayManageMembers(acting: Acting, teamId: string, db: Executor): Promise<Denial | undefined> {
  if ((await getTeam(teamId, db)) === undefined) throw new NotFoundError('team', teamId);
  if (requireModerator(acting, 'manage teams') === undefined) return undefined;
  if (await maintainsTeam(acting.id, teamId, db)) return undefined;
  return deny(
    'not-team-maintainer',
    `Only the admin, a moderator or a maintainer of team ${teamId} can manage its members`,
  );
}
