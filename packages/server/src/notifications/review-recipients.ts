import {
  type ApprovalGroup,
  type ApprovalRequest,
  approvalGroupsOf,
  isEligible,
  type Role,
  selfPartyOf,
} from '@gatehouse/core';
import { loadUserStanding } from '../identity/principal-loader.js';
import { loadApprovalGroups } from '../policy/approval-groups.js';
import { getAdmin } from '../storage/admin-seat-dal.js';
import type { Executor } from '../storage/transaction.js';
import { type ContactFilter, listUserContacts, type UserContact } from '../storage/users-email-dal.js';

/** Who else to tell besides the current stage's reviewers (an escalation tells the admin and moderators). */
export interface RecipientOptions {
  readonly alsoRoles?: readonly Role[];
  /** The active policy file's groups (the database's are read here); without it, only those. */
  readonly policyGroups?: ReadonlyMap<string, ApprovalGroup>;
}

/** A user id as policies write it: `alice` or `user:alice`. */
const userIdOf = (name: string): string => (name.startsWith('user:') ? name.slice('user:'.length) : name);

/**
 * The people to email about `request`: every enabled user with an email address who can act on
 * its current stage now. Candidates come from the stage's selectors (roles, with the admin for
 * moderator stages; teams; the requester's team; groups and their teams; listed users), and each is
 * then checked with the core's own `isEligible` against their current role and teams, so the
 * request's own side (requester, on-behalf-of user, agent owner) is left out unless the policy
 * allows self-approval, and nobody who already voted is asked again. `alsoRoles` adds the holders
 * of those roles (never the request's own side, unless self-approval is allowed).
 */
export async function resolveReviewRecipients(
  request: ApprovalRequest,
  db: Executor,
  options: RecipientOptions = {},
): Promise<readonly UserContact[]> {
  const stage = request.requirement.stages[request.stageIndex];
  if (request.status !== 'pending' || stage === undefined) return [];
  const ids = new Set<string>();
  const roles = new Set<'moderator' | 'user'>();
  const teams = new Set<string>();
  let everyone = false;
  const admin = (await getAdmin(db))?.id;
  // Groups as they are defined now, like a vote would see them; not the request's copy.
  const groups = await loadApprovalGroups({ groups: options.policyGroups ?? new Map() }, db);
  const addRole = (role: Role) => {
    if (role === 'user') everyone = true;
    if (role === 'moderator') roles.add('moderator');
    if (admin !== undefined) ids.add(admin);
  };
  for (const selector of stage.approvers) {
    if (selector.kind === 'role') addRole(selector.role);
    else if (selector.kind === 'team') teams.add(selector.team);
    else if (selector.kind === 'requester-team' && request.requesterTeam !== undefined)
      teams.add(request.requesterTeam);
    else if (selector.kind === 'users') for (const name of selector.users) ids.add(userIdOf(name));
    else if (selector.kind === 'group') {
      const group = groups.get(selector.group);
      for (const name of group?.users ?? []) ids.add(userIdOf(name));
      for (const team of group?.teams ?? []) teams.add(team);
    }
  }
  const also = new Set(options.alsoRoles ?? []);
  for (const role of also) addRole(role);
  const filter: ContactFilter = { ids: [...ids], roles: [...roles], teams: [...teams], all: everyone };
  const voted = new Set(request.reviews.map((review) => review.reviewer));
  const recipients: UserContact[] = [];
  for (const contact of await listUserContacts(filter, db)) {
    if (voted.has(contact.id)) continue;
    const standing = await loadUserStanding(contact.id, db);
    if (standing === undefined) continue;
    const reviewer = {
      kind: 'user' as const,
      id: contact.id,
      role: standing.role,
      teams: standing.teams,
      groups: approvalGroupsOf(groups.values(), { id: contact.id, teams: standing.teams }),
    };
    const eligible = isEligible(request, reviewer, request.stageIndex).ok;
    const told =
      also.has(standing.role) &&
      (request.requirement.selfApproval || selfPartyOf(request, contact.id) === undefined);
    if (eligible || told) recipients.push(contact);
  }
  return Object.freeze(recipients);
}
