import type { ApproverSelector, Role } from '../policy/policy-types.js';
import type { ApprovalRequest, RefusalCode, Reviewer } from './approval-types.js';
import { describeSelfParty, namesUser, selfPartyOf } from './request-parties.js';

/** Whether a reviewer may vote on a stage, and if not, the refusal code and a sentence saying why. */
export type Eligibility =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: RefusalCode; readonly reason: string };

const ELIGIBLE: Eligibility = Object.freeze({ ok: true });

// A higher role satisfies every stage a lower one does; a moderator never reaches an admin stage.
const ROLE_RANK: Readonly<Record<Role, number>> = { user: 0, moderator: 1, admin: 2 };

/** A selector as policies write it, for reasons and audit data: `role:moderator`, `team:infra`. */
export function describeSelector(selector: ApproverSelector): string {
  switch (selector.kind) {
    case 'role':
      return `role:${selector.role}`;
    case 'team':
      return `team:${selector.team}`;
    case 'requester-team':
      return '$requester.team';
    case 'group':
      return `group:${selector.group}`;
    case 'users':
      return `users:${selector.users.join(',')}`;
  }
}

/**
 * True when `selector` admits `reviewer` on `request`. Ignores self-approval (see `isEligible`).
 * A requester team the request could not resolve admits nobody: fail closed.
 */
export function selectorAdmits(
  request: ApprovalRequest,
  selector: ApproverSelector,
  reviewer: Reviewer,
): boolean {
  if (reviewer.kind !== 'user') return false;
  switch (selector.kind) {
    case 'role':
      // A human without a recorded role is a plain user.
      return ROLE_RANK[reviewer.role ?? 'user'] >= ROLE_RANK[selector.role];
    case 'team':
      return reviewer.teams.includes(selector.team);
    case 'requester-team':
      return request.requesterTeam !== undefined && reviewer.teams.includes(request.requesterTeam);
    case 'group':
      // The reviewer's groups as the directory and policy define them now, not as they were when
      // the request was created: someone removed from a group stops approving at once.
      return reviewer.groups.includes(selector.group);
    case 'users':
      return selector.users.some((name) => namesUser(name, reviewer.id));
  }
}

/**
 * The selectors of stage `stageIndex` that admit `reviewer` (empty when none does, or no such stage).
 * Ignores self-approval; useful to show *why* someone may review.
 */
export function eligibleSelectorsFor(
  request: ApprovalRequest,
  reviewer: Reviewer,
  stageIndex: number,
): readonly ApproverSelector[] {
  const stage = request.requirement.stages[stageIndex];
  if (stage === undefined) return [];
  return stage.approvers.filter((selector) => selectorAdmits(request, selector, reviewer));
}

/**
 * Whether `reviewer` may vote on stage `stageIndex` of `request`: agents never, the request's own side
 * (requester, on-behalf-of user, agent owner) only when the requirement allows self-approval, everyone
 * else when one of the stage's selectors admits them.
 * @example isEligible(request, { kind: 'user', id: 'bob', role: 'moderator', teams: [] }, 0)
 */
export function isEligible(request: ApprovalRequest, reviewer: Reviewer, stageIndex: number): Eligibility {
  if (reviewer.kind !== 'user') {
    return refusal('agent-cannot-review', `agent ${reviewer.id} cannot review: only humans approve`);
  }
  const selfParty = selfPartyOf(request, reviewer.id);
  if (selfParty !== undefined && !request.requirement.selfApproval) {
    return refusal(
      'self-approval',
      `user ${reviewer.id} ${describeSelfParty(selfParty)} and the policy does not allow self-approval`,
    );
  }
  const stage = request.requirement.stages[stageIndex];
  if (stage === undefined) {
    return refusal('not-eligible', `request ${request.id} has no stage ${stageIndex}`);
  }
  if (eligibleSelectorsFor(request, reviewer, stageIndex).length === 0) {
    const wanted = stage.approvers.map(describeSelector).join(' or ');
    return refusal(
      'not-eligible',
      `user ${reviewer.id} is not eligible for stage "${stage.name}" (needs ${wanted})`,
    );
  }
  return ELIGIBLE;
}

function refusal(code: RefusalCode, reason: string): Eligibility {
  return Object.freeze({ ok: false, code, reason });
}
