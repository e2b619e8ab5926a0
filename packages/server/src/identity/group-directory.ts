import type { ApprovalGroup } from '@gatehouse/core';
import { NotFoundError, ValidationError } from '../domain-errors.js';
import {
  removeGroupMember as deleteGroupMember,
  type GroupMember,
  getGroup,
  createGroup as insertGroup,
  addGroupMember as insertGroupMember,
  listGroups as readGroups,
} from '../storage/groups-dal.js';
import { getTeam } from '../storage/teams-dal.js';
import type { Executor } from '../storage/transaction.js';
import { getUser } from '../storage/users-dal.js';
import type { AuthenticatedPrincipal } from './authenticated-principal.js';
import {
  type DirectoryDeps,
  requireModerator,
  runDirectoryChange,
  runDirectoryRead,
} from './directory-guard.js';
import { checkName } from './directory-names.js';

/** Approval groups: named sets of users and teams that policies name as approvers (`group: operators`). */
export interface GroupDirectory {
  /** The admin or a moderator creates a group. Audited `group.created`. */
  createGroup(actor: AuthenticatedPrincipal, name: string, now: number): Promise<ApprovalGroup>;
  /** The admin or a moderator adds a user or a team (by its name). Audited `group.member.added`. */
  addGroupMember(
    actor: AuthenticatedPrincipal,
    group: string,
    member: GroupMember,
    now: number,
  ): Promise<void>;
  /** The admin or a moderator removes one. Audited `group.member.removed`. */
  removeGroupMember(
    actor: AuthenticatedPrincipal,
    group: string,
    member: GroupMember,
    now: number,
  ): Promise<void>;
  /** Every group with its members; any human may list them. */
  listGroups(actor: AuthenticatedPrincipal, now: number): Promise<readonly ApprovalGroup[]>;
}

/** Creates the approval-group directory over `deps.db`. */
export function createGroupDirectory(deps: DirectoryDeps): GroupDirectory {
  const { db } = deps;

  return Object.freeze<GroupDirectory>({
    async createGroup(actor, name, now) {
      const group = checkName(name, 'name');
      const operation = { name: 'group.create', subject: `group:${group}` };
      return runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = requireModerator(acting, 'create approval groups');
        if (denial !== undefined) return denial;
        await insertGroup(group, trx);
        record('group.created', operation.subject, { name: group });
        return Object.freeze({ name: group, users: Object.freeze([]), teams: Object.freeze([]) });
      });
    },

    async addGroupMember(actor, group, member, now) {
      checkMemberKind(member);
      const operation = { name: 'group.addMember', subject: `group:${group}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = requireModerator(acting, 'manage approval groups');
        if (denial !== undefined) return denial;
        const current = await getGroup(group, trx);
        if (current === undefined) throw new NotFoundError('approval group', group);
        await requireMemberExists(member, trx);
        const members = member.kind === 'user' ? current.users : current.teams;
        if (members.includes(member.id)) return;
        await insertGroupMember(group, member, trx);
        record('group.member.added', operation.subject, { kind: member.kind, id: member.id });
      });
    },

    async removeGroupMember(actor, group, member, now) {
      checkMemberKind(member);
      const operation = { name: 'group.removeMember', subject: `group:${group}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = requireModerator(acting, 'manage approval groups');
        if (denial !== undefined) return denial;
        if (!(await deleteGroupMember(group, member, trx))) {
          throw new NotFoundError('approval group member', `${member.kind}:${member.id}`);
        }
        record('group.member.removed', operation.subject, { kind: member.kind, id: member.id });
      });
    },

    async listGroups(actor, now) {
      return runDirectoryRead(actor, { name: 'group.list', subject: 'groups' }, now, db, () =>
        readGroups(db),
      );
    },
  });
}

function checkMemberKind(member: GroupMember): void {
  if (member.kind !== 'user' && member.kind !== 'team')
    throw new ValidationError('kind', 'must be user or team');
}

async function requireMemberExists(member: GroupMember, db: Executor): Promise<void> {
  const found = member.kind === 'user' ? await getUser(member.id, db) : await getTeam(member.id, db);
  if (found === undefined) throw new NotFoundError(member.kind, member.id);
}
