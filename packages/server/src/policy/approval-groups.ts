import { type ApprovalGroup, approvalGroupsOf, type Policy } from '@gatehouse/core';
import { listGroups } from '../storage/groups-dal.js';
import type { Executor } from '../storage/transaction.js';

// Approval groups come from two places: the policy file's `groups:` and the groups kept in the
// database (administered over the API). Neither is cached here: every call reads the database,
// so a member removed a moment ago is no longer one (DESIGN §4: permissions are live).

/** The policy's groups merged with the database's: a name in both has the members of both. */
export function mergeApprovalGroups(
  fromPolicy: ReadonlyMap<string, ApprovalGroup>,
  stored: readonly ApprovalGroup[],
): ReadonlyMap<string, ApprovalGroup> {
  const groups = new Map(fromPolicy);
  for (const group of stored) {
    const existing = groups.get(group.name);
    groups.set(
      group.name,
      existing === undefined
        ? group
        : {
            name: group.name,
            users: [...new Set([...existing.users, ...group.users])],
            teams: [...new Set([...existing.teams, ...group.teams])],
          },
    );
  }
  return groups;
}

/** Every approval group as it is defined now: `policy`'s and the database's. */
export async function loadApprovalGroups(
  policy: Pick<Policy, 'groups'>,
  db: Executor,
): Promise<ReadonlyMap<string, ApprovalGroup>> {
  return mergeApprovalGroups(policy.groups, await listGroups(db));
}

/**
 * The approval groups a user is in now, directly or through a team. Agents are in none: only
 * humans approve, and the core refuses agents before it looks at groups.
 */
export async function currentApprovalGroupsOf(
  policy: Pick<Policy, 'groups'>,
  principal: { readonly kind: 'user' | 'agent'; readonly id: string; readonly teams: readonly string[] },
  db: Executor,
): Promise<readonly string[]> {
  if (principal.kind !== 'user') return [];
  return Object.freeze(approvalGroupsOf((await loadApprovalGroups(policy, db)).values(), principal));
}

/**
 * `principal` with its approval groups as of now (users only; an agent comes back as it is).
 * The HTTP layer calls it once per request, so views, queues and votes see today's membership.
 */
export async function withApprovalGroups<
  P extends { readonly kind: 'user' | 'agent'; readonly id: string; readonly teams: readonly string[] },
>(
  principal: P,
  policy: Pick<Policy, 'groups'>,
  db: Executor,
): Promise<P & { readonly groups?: readonly string[] }> {
  if (principal.kind !== 'user') return principal;
  return Object.freeze({ ...principal, groups: await currentApprovalGroupsOf(policy, principal, db) });
}
