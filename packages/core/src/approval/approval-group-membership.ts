import type { ApprovalGroup } from '../policy/policy-types.js';
import { namesUser } from './request-parties.js';

/**
 * The names of the approval groups that admit a user, directly or through one of their teams, given
 * the groups as they are defined now. The server calls it at every vote (and view) so that a
 * `group:` stage is judged by today's membership.
 * @example approvalGroupsOf(groups, { id: 'dave', teams: ['sre'] }) // ['operators']
 */
export function approvalGroupsOf(
  groups: Iterable<ApprovalGroup>,
  user: { readonly id: string; readonly teams: readonly string[] },
): string[] {
  const names: string[] = [];
  for (const group of groups) {
    const admits =
      group.users.some((name) => namesUser(name, user.id)) ||
      user.teams.some((team) => group.teams.includes(team));
    if (admits && !names.includes(group.name)) names.push(group.name);
  }
  return names.sort();
}
